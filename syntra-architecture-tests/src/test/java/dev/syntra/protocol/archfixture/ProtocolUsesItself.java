package dev.syntra.protocol.archfixture;

/** Satisfies the protocol rule: it uses only protocol and the JDK. */
public record ProtocolUsesItself(ProtocolThing thing, String name) {}
