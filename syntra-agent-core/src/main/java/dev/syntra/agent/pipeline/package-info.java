/**
 * The agent's telemetry pipeline assembled: OTLP receivers and collectors feed the enricher, the
 * sampler and the buffer, whose frames the shipper sends to the control plane; {@link
 * dev.syntra.agent.pipeline.ServiceCatalog} is what the agent knows of the services it deployed.
 */
@NullMarked
package dev.syntra.agent.pipeline;

import org.jspecify.annotations.NullMarked;
