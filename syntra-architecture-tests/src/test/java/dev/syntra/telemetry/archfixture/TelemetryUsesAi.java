package dev.syntra.telemetry.archfixture;

import dev.syntra.ai.archfixture.AiThing;

/** Violates the telemetry rule: telemetry may use only protocol. */
public record TelemetryUsesAi(AiThing ai) {}
