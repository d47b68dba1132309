package dev.syntra.archfixture;

/** Violates the known-module rule: it lives in no module's base package. */
public record Stray() {}
