/**
 * Collectors that turn what the host and the services on it produce into OTLP telemetry for the
 * pipeline: container logs, Prometheus scrapes, host and container metrics, health results.
 */
@NullMarked
package dev.syntra.agent.collect;

import org.jspecify.annotations.NullMarked;
