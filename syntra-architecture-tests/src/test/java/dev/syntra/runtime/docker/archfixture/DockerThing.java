package dev.syntra.runtime.docker.archfixture;

/** A syntra-runtime-docker class that other fixtures may or may not use. */
public record DockerThing() {}
