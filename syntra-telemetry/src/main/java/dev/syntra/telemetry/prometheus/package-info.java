/**
 * Prometheus text exposition format (0.0.4, with the quoted UTF-8 names of the newer format): a
 * bounded parser into metric families and a converter of those families to OTLP metrics.
 */
@NullMarked
package dev.syntra.telemetry.prometheus;

import org.jspecify.annotations.NullMarked;
