package dev.syntra.protocol.json.internal;

import dev.syntra.protocol.runtime.Autoscaling;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.ResourceLimits;
import dev.syntra.protocol.runtime.RolloutOptions;
import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.time.Duration;

/** JSON mapping of the runtime contract's records (field names in PROTOCOL.md). */
public final class RuntimeJson {
  private RuntimeJson() {}

  public static ServiceRef serviceRef(JsonIn in) {
    String organization = in.string("organization");
    String project = in.string("project");
    String service = in.string("service");
    return in.build(() -> new ServiceRef(organization, project, service));
  }

  public static void serviceRef(ServiceRef ref, JsonOut out) {
    out.string("organization", ref.organization())
        .string("project", ref.project())
        .string("service", ref.service());
  }

  public static DeploySpec deploySpec(JsonIn in) {
    String deploymentId = in.string("deployment_id");
    ServiceRef service = serviceRef(in.object("service"));
    String image = in.string("image");
    JsonIn auth = in.optObject("registry_auth");
    RegistryAuth registryAuth = auth == null ? null : registryAuth(auth);
    int replicas = in.int32("replicas");
    var env = in.stringMap("env");
    var command = in.strings("command");
    var ports = in.objects("ports", RuntimeJson::portMapping);
    JsonIn limitsIn = in.optObject("limits");
    ResourceLimits limits = limitsIn == null ? ResourceLimits.UNLIMITED : limits(limitsIn);
    var domains = in.strings("domains");
    var aliases = in.strings("network_aliases");
    JsonIn healthIn = in.optObject("health_check");
    HealthCheck healthCheck = healthIn == null ? null : healthCheck(healthIn);
    DeployStrategy strategy = in.enumValue("strategy", DeployStrategy.class);
    JsonIn rolloutIn = in.optObject("rollout");
    RolloutOptions rollout = rolloutIn == null ? RolloutOptions.DEFAULTS : rollout(rolloutIn);
    JsonIn scaleIn = in.optObject("autoscaling");
    Autoscaling autoscaling = scaleIn == null ? null : autoscaling(scaleIn);
    JsonIn securityIn = in.optObject("security");
    SecurityOptions security =
        securityIn == null ? SecurityOptions.DEFAULTS : securityOptions(securityIn);
    return in.build(() ->
        new DeploySpec(
            deploymentId,
            service,
            image,
            registryAuth,
            replicas,
            env,
            command,
            ports,
            limits,
            domains,
            aliases,
            healthCheck,
            strategy,
            rollout,
            autoscaling,
            security));
  }

  public static void deploySpec(DeploySpec spec, JsonOut out) {
    out.string("deployment_id", spec.deploymentId())
        .object("service", spec.service(), RuntimeJson::serviceRef)
        .string("image", spec.image())
        .object("registry_auth", spec.registryAuth(), RuntimeJson::registryAuth)
        .int64("replicas", spec.replicas())
        .stringMap("env", spec.env())
        .strings("command", spec.command())
        .objects("ports", spec.ports(), RuntimeJson::portMapping)
        .object("limits", spec.limits(), RuntimeJson::limits)
        .strings("domains", spec.domains())
        .strings("network_aliases", spec.networkAliases())
        .object("health_check", spec.healthCheck(), RuntimeJson::healthCheck)
        .enumValue("strategy", spec.strategy())
        .object("rollout", spec.rollout(), RuntimeJson::rollout)
        .object("autoscaling", spec.autoscaling(), RuntimeJson::autoscaling)
        .object("security", spec.security(), RuntimeJson::securityOptions);
  }

  static SecurityOptions securityOptions(JsonIn in) {
    boolean noNewPrivileges = in.bool("no_new_privileges", true);
    var capDrop = in.strings("cap_drop");
    var capAdd = in.strings("cap_add");
    return in.build(() -> new SecurityOptions(noNewPrivileges, capDrop, capAdd));
  }

  static void securityOptions(SecurityOptions security, JsonOut out) {
    out.bool("no_new_privileges", security.noNewPrivileges())
        .strings("cap_drop", security.capDrop())
        .strings("cap_add", security.capAdd());
  }

  static RegistryAuth registryAuth(JsonIn in) {
    String server = in.string("server");
    String username = in.string("username");
    String password = in.string("password");
    return in.build(() -> new RegistryAuth(server, username, password));
  }

  static void registryAuth(RegistryAuth auth, JsonOut out) {
    out.string("server", auth.server())
        .string("username", auth.username())
        .string("password", auth.password());
  }

  static PortMapping portMapping(JsonIn in) {
    int containerPort = in.int32("container_port");
    PortMapping.Protocol protocol =
        in.enumValue("protocol", PortMapping.Protocol.class, PortMapping.Protocol.TCP);
    JsonIn publishIn = in.optObject("publish");
    HostBinding publish = null;
    if (publishIn != null) {
      String ip = publishIn.string("host_ip");
      int port = publishIn.int32("host_port");
      publish = publishIn.build(() -> new HostBinding(ip, port));
    }
    HostBinding binding = publish;
    return in.build(() -> new PortMapping(containerPort, protocol, binding));
  }

  static void portMapping(PortMapping port, JsonOut out) {
    out.int64("container_port", port.containerPort())
        .enumValue("protocol", port.protocol())
        .object(
            "publish",
            port.publish(),
            (b, o) -> o.string("host_ip", b.ip()).int64("host_port", b.port()));
  }

  static ResourceLimits limits(JsonIn in) {
    long cpu = in.int64("cpu_millis", 0);
    long memory = in.int64("memory_bytes", 0);
    return in.build(() -> new ResourceLimits(cpu, memory));
  }

  static void limits(ResourceLimits limits, JsonOut out) {
    out.int64("cpu_millis", limits.cpuMillis()).int64("memory_bytes", limits.memoryBytes());
  }

  public static HealthCheck healthCheck(JsonIn in) {
    HealthCheck.Type type = in.enumValue("type", HealthCheck.Type.class);
    String path = in.optString("path");
    int port = in.int32("port");
    Duration interval = in.millis("interval_ms", Duration.ofSeconds(5));
    Duration timeout = in.millis("timeout_ms", Duration.ofSeconds(3));
    int retries = in.int32("retries", 3);
    Duration startPeriod = in.millis("start_period_ms", Duration.ZERO);
    return in.build(
        () -> new HealthCheck(type, path, port, interval, timeout, retries, startPeriod));
  }

  public static void healthCheck(HealthCheck check, JsonOut out) {
    out.enumValue("type", check.type())
        .string("path", check.path())
        .int64("port", check.port())
        .millis("interval_ms", check.interval())
        .millis("timeout_ms", check.timeout())
        .int64("retries", check.retries())
        .millis("start_period_ms", check.startPeriod());
  }

  static RolloutOptions rollout(JsonIn in) {
    RolloutOptions d = RolloutOptions.DEFAULTS;
    int maxSurge = in.int32("max_surge", d.maxSurge());
    int maxUnavailable = in.int32("max_unavailable", d.maxUnavailable());
    int canary = in.int32("canary_weight_percent", d.canaryWeightPercent());
    return in.build(() -> new RolloutOptions(maxSurge, maxUnavailable, canary));
  }

  static void rollout(RolloutOptions rollout, JsonOut out) {
    out.int64("max_surge", rollout.maxSurge())
        .int64("max_unavailable", rollout.maxUnavailable())
        .int64("canary_weight_percent", rollout.canaryWeightPercent());
  }

  static Autoscaling autoscaling(JsonIn in) {
    int min = in.int32("min_replicas");
    int max = in.int32("max_replicas");
    int cpu = in.int32("cpu_target_percent");
    return in.build(() -> new Autoscaling(min, max, cpu));
  }

  static void autoscaling(Autoscaling a, JsonOut out) {
    out.int64("min_replicas", a.minReplicas())
        .int64("max_replicas", a.maxReplicas())
        .int64("cpu_target_percent", a.cpuTargetPercent());
  }

  public static ServiceStatus serviceStatus(JsonIn in) {
    ServiceRef service = serviceRef(in.object("service"));
    ServiceStatus.State state = in.enumValue("state", ServiceStatus.State.class);
    String deploymentId = in.optString("deployment_id");
    int desired = in.int32("desired_replicas");
    var replicas = in.objects("replicas", RuntimeJson::replicaStatus);
    String reason = in.optString("reason");
    return in.build(
        () -> new ServiceStatus(service, state, deploymentId, desired, replicas, reason));
  }

  public static void serviceStatus(ServiceStatus status, JsonOut out) {
    out.object("service", status.service(), RuntimeJson::serviceRef)
        .enumValue("state", status.state())
        .string("deployment_id", status.deploymentId())
        .int64("desired_replicas", status.desiredReplicas())
        .objects("replicas", status.replicas(), RuntimeJson::replicaStatus)
        .string("reason", status.reason());
  }

  static ReplicaStatus replicaStatus(JsonIn in) {
    String id = in.string("id");
    String deploymentId = in.optString("deployment_id");
    ReplicaStatus.State state = in.enumValue("state", ReplicaStatus.State.class);
    ReplicaStatus.Health health = in.enumValue("health", ReplicaStatus.Health.class);
    int restarts = in.int32("restart_count", 0);
    String digest = in.optString("image_digest");
    var startedAt = in.optInstant("started_at");
    String reason = in.optString("reason");
    return in.build(() ->
        new ReplicaStatus(id, deploymentId, state, health, restarts, digest, startedAt, reason));
  }

  static void replicaStatus(ReplicaStatus r, JsonOut out) {
    out.string("id", r.id())
        .string("deployment_id", r.deploymentId())
        .enumValue("state", r.state())
        .enumValue("health", r.health())
        .int64("restart_count", r.restartCount())
        .string("image_digest", r.imageDigest())
        .instant("started_at", r.startedAt())
        .string("reason", r.reason());
  }

  public static ExecOptions execOptions(JsonIn in) {
    ExecOptions d = ExecOptions.DEFAULTS;
    Duration timeout = in.millis("timeout_ms", d.timeout());
    int maxOutput = in.int32("max_output_bytes", d.maxOutputBytes());
    Integer replica = in.optInt32("replica");
    return in.build(() -> new ExecOptions(timeout, maxOutput, replica));
  }

  public static void execOptions(ExecOptions o, JsonOut out) {
    out.millis("timeout_ms", o.timeout())
        .int64("max_output_bytes", o.maxOutputBytes())
        .optInt("replica", o.replica());
  }

  public static ExecResult execResult(JsonIn in) {
    int exitCode = in.int32("exit_code");
    String stdout = in.string("stdout");
    String stderr = in.string("stderr");
    boolean truncated = in.bool("truncated", false);
    boolean timedOut = in.bool("timed_out", false);
    Duration duration = in.millis("duration_ms");
    return in.build(() -> new ExecResult(exitCode, stdout, stderr, truncated, timedOut, duration));
  }

  public static void execResult(ExecResult r, JsonOut out) {
    out.int64("exit_code", r.exitCode())
        .string("stdout", r.stdout())
        .string("stderr", r.stderr())
        .bool("truncated", r.truncated())
        .bool("timed_out", r.timedOut())
        .millis("duration_ms", r.duration());
  }

  public static LogOptions logOptions(JsonIn in) {
    boolean follow = in.bool("follow", false);
    var since = in.optInstant("since");
    Integer tail = in.optInt32("tail");
    boolean stdout = in.bool("stdout", true);
    boolean stderr = in.bool("stderr", true);
    return in.build(() -> new LogOptions(follow, since, tail, stdout, stderr));
  }

  public static void logOptions(LogOptions o, JsonOut out) {
    out.bool("follow", o.follow())
        .instant("since", o.since())
        .optInt("tail", o.tail())
        .bool("stdout", o.stdout())
        .bool("stderr", o.stderr());
  }

  public static LogLine logLine(JsonIn in) {
    var at = in.instant("at");
    LogLine.Stream stream = in.enumValue("stream", LogLine.Stream.class);
    String replica = in.string("replica_id");
    String message = in.string("message");
    return in.build(() -> new LogLine(at, stream, replica, message));
  }

  public static void logLine(LogLine line, JsonOut out) {
    out.instant("at", line.at())
        .enumValue("stream", line.stream())
        .string("replica_id", line.replicaId())
        .string("message", line.message());
  }
}
