package dev.syntra.telemetry.prometheus;

/**
 * One {@code _bucket} sample of a histogram: the cumulative count of observations {@code <=
 * upperBound} ({@code le}). Counts are doubles because the text format allows fractional ones.
 */
public record Bucket(double upperBound, double cumulativeCount) {}
