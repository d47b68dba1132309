package dev.syntra.telemetry.internal.archfixture;

/** An implementation detail of syntra-telemetry. */
public record Hidden() {}
