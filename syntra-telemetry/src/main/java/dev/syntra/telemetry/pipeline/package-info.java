/** The intake every telemetry source (OTLP receivers, collectors) hands its data to. */
@NullMarked
package dev.syntra.telemetry.pipeline;

import org.jspecify.annotations.NullMarked;
