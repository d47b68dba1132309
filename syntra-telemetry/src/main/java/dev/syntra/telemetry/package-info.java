/**
 * Telemetry pipeline parts shared by the agent and the control plane: the chunk model, intake,
 * enrichment, sampling, the byte-bounded buffer with its disk spool, and batching into frames.
 */
@NullMarked
package dev.syntra.telemetry;

import org.jspecify.annotations.NullMarked;
