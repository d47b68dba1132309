package dev.syntra.telemetry.archfixture;

import dev.syntra.protocol.archfixture.ProtocolThing;

/** Satisfies the telemetry rule. */
public record TelemetryUsesProtocol(ProtocolThing protocol) {}
