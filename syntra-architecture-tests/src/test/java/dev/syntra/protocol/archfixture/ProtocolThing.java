package dev.syntra.protocol.archfixture;

/** A syntra-protocol class that other fixtures may or may not use. */
public record ProtocolThing() {}
