/** Buffer internals: open batches and assembling them into frames. Not API. */
@NullMarked
package dev.syntra.telemetry.buffer.internal;

import org.jspecify.annotations.NullMarked;
