package dev.syntra.ai.archfixture;

import dev.syntra.protocol.archfixture.ProtocolThing;
import dev.syntra.telemetry.archfixture.TelemetryThing;

/** Satisfies the ai rule. */
public record AiUsesTelemetry(TelemetryThing telemetry, ProtocolThing protocol) {}
