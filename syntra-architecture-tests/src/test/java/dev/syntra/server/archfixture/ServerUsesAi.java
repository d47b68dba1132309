package dev.syntra.server.archfixture;

import dev.syntra.ai.archfixture.AiThing;
import dev.syntra.telemetry.archfixture.TelemetryThing;

/** Satisfies the server, no-library-uses-server and internals rules. */
public record ServerUsesAi(AiThing ai, TelemetryThing telemetry) {}
