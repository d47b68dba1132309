/**
 * Per-service telemetry settings from the control plane ({@code configure_telemetry}): kept durably
 * in the state directory and published to the sampler and the Prometheus scraper.
 */
@NullMarked
package dev.syntra.agent.telemetrysettings;

import org.jspecify.annotations.NullMarked;
