package dev.syntra.server.archfixture.layers.crypto;

/** A class of the lowest feature layer. */
public record CryptoThing() {}
