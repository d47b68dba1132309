/** Binary telemetry frames: a fixed header followed by a zstd-compressed OTLP protobuf batch. */
@NullMarked
package dev.syntra.protocol.frame;

import org.jspecify.annotations.NullMarked;
