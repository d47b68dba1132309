/**
 * The byte-bounded telemetry buffer with its optional disk spool, and the batcher that seals
 * buffered chunks into protocol telemetry frames that wait there until the server acknowledges
 * them.
 */
@NullMarked
package dev.syntra.telemetry.buffer;

import org.jspecify.annotations.NullMarked;
