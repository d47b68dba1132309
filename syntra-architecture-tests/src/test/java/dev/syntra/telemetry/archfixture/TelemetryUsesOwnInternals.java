package dev.syntra.telemetry.archfixture;

import dev.syntra.telemetry.archfixture.internal.NestedHidden;
import dev.syntra.telemetry.internal.archfixture.Hidden;

/** Satisfies the internals rule: a module may use its own internals. */
public record TelemetryUsesOwnInternals(Hidden hidden, NestedHidden nested) {}
