package dev.syntra.protocol.json.internal;

import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.HelloRejected;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.SessionSettings;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;
import java.time.Duration;

/** JSON mapping of the session messages: hello replies, telemetry acks, throttles and errors. */
final class SessionJson {
  private SessionJson() {}

  static HelloOk helloOk(JsonIn in) {
    String agentId = in.string("agent_id");
    String serverId = in.string("server_id");
    var serverTime = in.instant("server_time");
    SessionSettings settings = settings(in.object("settings"));
    String credential = in.optString("credential");
    String certificate = in.optString("client_certificate_pem");
    return in.build(
        () -> new HelloOk(agentId, serverId, serverTime, settings, credential, certificate));
  }

  static void helloOk(HelloOk h, JsonOut out) {
    out.string("agent_id", h.agentId())
        .string("server_id", h.serverId())
        .instant("server_time", h.serverTime())
        .object("settings", h.settings(), SessionJson::settings)
        .string("credential", h.credential())
        .string("client_certificate_pem", h.clientCertificatePem());
  }

  private static SessionSettings settings(JsonIn in) {
    SessionSettings d = SessionSettings.DEFAULTS;
    Duration heartbeat = in.millis("heartbeat_interval_ms", d.heartbeatInterval());
    double ratio =
        in.has("trace_sample_ratio") ? in.number("trace_sample_ratio") : d.traceSampleRatio();
    long bufferMax = in.int64("buffer_max_bytes", d.bufferMaxBytes());
    int batchEvents = in.int32("batch_max_events", d.batchMaxEvents());
    Duration batchDelay = in.millis("batch_max_delay_ms", d.batchMaxDelay());
    int maxFrame = in.int32("max_frame_bytes", d.maxFrameBytes());
    return in.build(
        () -> new SessionSettings(heartbeat, ratio, bufferMax, batchEvents, batchDelay, maxFrame));
  }

  private static void settings(SessionSettings s, JsonOut out) {
    out.millis("heartbeat_interval_ms", s.heartbeatInterval())
        .number("trace_sample_ratio", s.traceSampleRatio())
        .int64("buffer_max_bytes", s.bufferMaxBytes())
        .int64("batch_max_events", s.batchMaxEvents())
        .millis("batch_max_delay_ms", s.batchMaxDelay())
        .int64("max_frame_bytes", s.maxFrameBytes());
  }

  static HelloRejected helloRejected(JsonIn in) {
    HelloRejected.Reason reason = in.enumValue("reason", HelloRejected.Reason.class);
    String message = in.string("message");
    Duration retryAfter = in.optMillis("retry_after_ms");
    return in.build(() -> new HelloRejected(reason, message, retryAfter));
  }

  static void helloRejected(HelloRejected r, JsonOut out) {
    out.enumValue("reason", r.reason())
        .string("message", r.message())
        .millis("retry_after_ms", r.retryAfter());
  }

  static TelemetryAck telemetryAck(JsonIn in) {
    var entries =
        in.objects(
            "entries",
            e -> {
              String id = e.string("batch_id");
              BatchId batchId = e.build(() -> BatchId.parse(id));
              TelemetryAck.Status status = e.enumValue("status", TelemetryAck.Status.class);
              String reason = e.optString("reason");
              return e.build(() -> new TelemetryAck.Entry(batchId, status, reason));
            });
    return in.build(() -> new TelemetryAck(entries));
  }

  static void telemetryAck(TelemetryAck ack, JsonOut out) {
    out.objects(
        "entries",
        ack.entries(),
        (e, o) ->
            o.string("batch_id", e.batchId().toString())
                .enumValue("status", e.status())
                .string("reason", e.reason()));
  }

  static Throttle throttle(JsonIn in) {
    Duration retryAfter = in.millis("retry_after_ms");
    String reason = in.string("reason");
    return in.build(() -> new Throttle(retryAfter, reason));
  }

  static void throttle(Throttle t, JsonOut out) {
    out.millis("retry_after_ms", t.retryAfter()).string("reason", t.reason());
  }

  static ProtocolError error(JsonIn in) {
    String code = in.string("code");
    String message = in.string("message");
    String path = in.optString("path");
    return in.build(() -> new ProtocolError(code, message, path));
  }

  static void error(ProtocolError e, JsonOut out) {
    out.string("code", e.code()).string("message", e.message()).string("path", e.path());
  }
}
