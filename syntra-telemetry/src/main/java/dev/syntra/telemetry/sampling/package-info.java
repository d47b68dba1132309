/**
 * Head and error-aware sampling of spans and rate limiting of logs per service, in front of the
 * buffer: {@link dev.syntra.telemetry.sampling.TelemetrySampler} with its per-service {@link
 * dev.syntra.telemetry.sampling.SamplingPolicy}.
 */
@NullMarked
package dev.syntra.telemetry.sampling;

import org.jspecify.annotations.NullMarked;
