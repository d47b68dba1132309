package dev.syntra.telemetry.archfixture.acyclic.upper;

import dev.syntra.telemetry.archfixture.acyclic.lower.Lower;

/** Uses {@link Lower} without a way back, so the cycle rule passes. */
public record Upper(Lower lower) {}
