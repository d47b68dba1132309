package dev.syntra.telemetry.archfixture.acyclic.lower;

/** Used by {@link dev.syntra.telemetry.archfixture.acyclic.upper.Upper}. */
public record Lower() {}
