/**
 * The agent's OTLP receivers: {@link dev.syntra.agent.otlp.OtlpGrpcReceiver} (OTLP/gRPC, port 4317)
 * and {@link dev.syntra.agent.otlp.OtlpHttpReceiver} (OTLP/HTTP, port 4318), which validate what
 * apps send and hand it to a {@link dev.syntra.telemetry.pipeline.TelemetryIntake}.
 */
@NullMarked
package dev.syntra.agent.otlp;

import org.jspecify.annotations.NullMarked;
