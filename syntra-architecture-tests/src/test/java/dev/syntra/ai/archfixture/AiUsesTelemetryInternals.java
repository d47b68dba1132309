package dev.syntra.ai.archfixture;

import dev.syntra.telemetry.archfixture.internal.NestedHidden;
import dev.syntra.telemetry.internal.archfixture.Hidden;

/** Violates the internals rule twice: it uses telemetry's internal packages. */
public record AiUsesTelemetryInternals(Hidden hidden, NestedHidden nested) {}
