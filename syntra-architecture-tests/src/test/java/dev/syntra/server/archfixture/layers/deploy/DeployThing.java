package dev.syntra.server.archfixture.layers.deploy;

/** A class of the top layer. */
public record DeployThing() {}
