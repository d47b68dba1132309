package dev.syntra.server.archfixture;

/** A syntra-server class that no library may use. */
public record ServerThing() {}
