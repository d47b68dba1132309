package dev.syntra.server.archfixture.layers.stray;

/** A class in a package no layer names. */
public record StrayThing() {}
