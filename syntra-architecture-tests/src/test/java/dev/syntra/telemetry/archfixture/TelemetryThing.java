package dev.syntra.telemetry.archfixture;

/** A syntra-telemetry class that other fixtures may or may not use. */
public record TelemetryThing() {}
