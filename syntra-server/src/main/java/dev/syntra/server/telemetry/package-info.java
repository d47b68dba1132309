/**
 * Telemetry frames from agents: the bounded ingest the hub hands binary frames to, and the interim
 * durable store of received batches ({@code telemetry_batches}) that acknowledgements wait for.
 */
@NullMarked
package dev.syntra.server.telemetry;

import org.jspecify.annotations.NullMarked;
