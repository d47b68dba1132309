package dev.syntra.telemetry.archfixture.internal;

/** An implementation detail of syntra-telemetry in a nested internal package. */
public record NestedHidden() {}
