/**
 * Resource enrichment: {@link dev.syntra.telemetry.enrich.ResourceEnricher} adds the Syntra
 * service, server and deployment attributes from the agent's {@link
 * dev.syntra.telemetry.enrich.ServiceDirectory}.
 */
@NullMarked
package dev.syntra.telemetry.enrich;

import org.jspecify.annotations.NullMarked;
