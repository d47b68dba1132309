package dev.syntra.telemetry.prometheus;

/** One {@code quantile} sample of a summary. */
public record Quantile(double quantile, double value) {}
