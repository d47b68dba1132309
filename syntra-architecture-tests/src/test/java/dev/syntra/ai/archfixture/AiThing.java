package dev.syntra.ai.archfixture;

/** A syntra-ai class that other fixtures may or may not use. */
public record AiThing() {}
