package dev.syntra.protocol.json.internal;

import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Alert;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.message.LogChunk;
import dev.syntra.protocol.message.SystemMetrics;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.ServiceRef;

/** JSON mapping of the messages the agent sends (except {@code error}, see {@link SessionJson}). */
final class AgentJson {
  private AgentJson() {}

  static AgentHello hello(JsonIn in) {
    String agentId = in.optString("agent_id");
    String token = in.string("token");
    String version = in.string("version");
    String runtime = in.string("runtime");
    String os = in.string("os");
    String arch = in.string("arch");
    String hostname = in.string("hostname");
    JsonIn r = in.object("resources");
    int cores = r.int32("cpu_cores");
    long memory = r.int64("memory_bytes");
    long disk = r.int64("disk_bytes");
    AgentHello.Resources resources = r.build(() -> new AgentHello.Resources(cores, memory, disk));
    String csr = in.optString("csr_pem");
    return in.build(
        () -> new AgentHello(agentId, token, version, runtime, os, arch, hostname, resources, csr));
  }

  static void hello(AgentHello h, JsonOut out) {
    out.string("agent_id", h.agentId())
        .string("token", h.token())
        .string("version", h.version())
        .string("runtime", h.runtime())
        .string("os", h.os())
        .string("arch", h.arch())
        .string("hostname", h.hostname())
        .object(
            "resources",
            h.resources(),
            (r, o) ->
                o.int64("cpu_cores", r.cpuCores())
                    .int64("memory_bytes", r.memoryBytes())
                    .int64("disk_bytes", r.diskBytes()))
        .string("csr_pem", h.csrPem());
  }

  static Heartbeat heartbeat(JsonIn in) {
    SystemMetrics system = system(in.object("system"));
    int running = in.int32("containers_running");
    int total = in.int32("containers_total");
    var services = in.objects("services", RuntimeJson::serviceStatus);
    long dropped = in.int64("telemetry_dropped", 0);
    return in.build(() -> new Heartbeat(system, running, total, services, dropped));
  }

  static void heartbeat(Heartbeat h, JsonOut out) {
    out.object("system", h.system(), AgentJson::system)
        .int64("containers_running", h.containersRunning())
        .int64("containers_total", h.containersTotal())
        .objects("services", h.services(), RuntimeJson::serviceStatus)
        .int64("telemetry_dropped", h.telemetryDropped());
  }

  private static SystemMetrics system(JsonIn in) {
    double cpu = in.number("cpu_percent");
    var perCore = in.numbers("cpu_per_core_percent");
    double load1 = in.number("load1");
    long memUsed = in.int64("memory_used_bytes");
    long memTotal = in.int64("memory_total_bytes");
    long diskUsed = in.int64("disk_used_bytes");
    long diskTotal = in.int64("disk_total_bytes");
    long rx = in.int64("network_rx_bytes");
    long tx = in.int64("network_tx_bytes");
    long uptime = in.int64("uptime_seconds");
    return in.build(() ->
        new SystemMetrics(
            cpu, perCore, load1, memUsed, memTotal, diskUsed, diskTotal, rx, tx, uptime));
  }

  private static void system(SystemMetrics s, JsonOut out) {
    out.number("cpu_percent", s.cpuPercent())
        .numbers("cpu_per_core_percent", s.cpuPerCorePercent())
        .number("load1", s.load1())
        .int64("memory_used_bytes", s.memoryUsedBytes())
        .int64("memory_total_bytes", s.memoryTotalBytes())
        .int64("disk_used_bytes", s.diskUsedBytes())
        .int64("disk_total_bytes", s.diskTotalBytes())
        .int64("network_rx_bytes", s.networkRxBytes())
        .int64("network_tx_bytes", s.networkTxBytes())
        .int64("uptime_seconds", s.uptimeSeconds());
  }

  static DeployStatus deployStatus(JsonIn in) {
    String deploymentId = in.string("deployment_id");
    ServiceRef service = RuntimeJson.serviceRef(in.object("service"));
    DeployPhase phase = in.enumValue("phase", DeployPhase.class);
    String message = in.string("message");
    String errorCode = in.optString("error_code");
    return in.build(() -> new DeployStatus(deploymentId, service, phase, message, errorCode));
  }

  static void deployStatus(DeployStatus s, JsonOut out) {
    out.string("deployment_id", s.deploymentId())
        .object("service", s.service(), RuntimeJson::serviceRef)
        .enumValue("phase", s.phase())
        .string("message", s.message())
        .string("error_code", s.errorCode());
  }

  static CommandResult commandResult(JsonIn in) {
    boolean ok = in.bool("ok");
    JsonIn errorIn = in.optObject("error");
    if (ok == (errorIn != null)) {
      throw new ProtocolException(
          ProtocolErrorCode.INVALID_FIELD,
          in.path("ok"),
          ok ? "an ok result must not carry an error" : "a failed result needs an error");
    }
    CommandResult.Error error = null;
    if (errorIn != null) {
      String code = errorIn.string("code");
      String message = errorIn.string("message");
      error = errorIn.build(() -> new CommandResult.Error(code, message));
    }
    JsonIn execIn = in.optObject("exec");
    ExecResult exec = execIn == null ? null : RuntimeJson.execResult(execIn);
    CommandResult.Error finalError = error;
    return in.build(() -> new CommandResult(finalError, exec));
  }

  static void commandResult(CommandResult r, JsonOut out) {
    out.bool("ok", r.isOk())
        .object(
            "error", r.error(), (e, o) -> o.string("code", e.code()).string("message", e.message()))
        .object("exec", r.exec(), RuntimeJson::execResult);
  }

  static LogChunk logChunk(JsonIn in) {
    String streamId = in.string("stream_id");
    var lines = in.objects("lines", RuntimeJson::logLine);
    long dropped = in.int64("dropped_lines", 0);
    boolean end = in.bool("end", false);
    return in.build(() -> new LogChunk(streamId, lines, dropped, end));
  }

  static void logChunk(LogChunk c, JsonOut out) {
    out.string("stream_id", c.streamId())
        .objects("lines", c.lines(), RuntimeJson::logLine)
        .int64("dropped_lines", c.droppedLines())
        .bool("end", c.end());
  }

  static Alert alert(JsonIn in) {
    String kind = in.string("kind");
    Alert.Severity severity = in.enumValue("severity", Alert.Severity.class);
    JsonIn serviceIn = in.optObject("service");
    ServiceRef service = serviceIn == null ? null : RuntimeJson.serviceRef(serviceIn);
    String message = in.string("message");
    var details = in.stringMap("details");
    return in.build(() -> new Alert(kind, severity, service, message, details));
  }

  static void alert(Alert a, JsonOut out) {
    out.string("kind", a.kind())
        .enumValue("severity", a.severity())
        .object("service", a.service(), RuntimeJson::serviceRef)
        .string("message", a.message())
        .stringMap("details", a.details());
  }
}
