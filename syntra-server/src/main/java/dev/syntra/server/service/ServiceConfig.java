package dev.syntra.server.service;

import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.ImageReference;
import dev.syntra.protocol.runtime.ResourceLimits;
import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Slugs;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The configurable part of a service, read from a create (all fields, defaults applied) or a patch
 * (fields given override the current ones) and then checked as a whole.
 */
record ServiceConfig(
    String name,
    String type,
    String sourceType,
    @Nullable String image,
    @Nullable String dockerfilePath,
    @Nullable String buildContext,
    @Nullable UUID serverId,
    @Nullable Integer port,
    @Nullable String publishHostIp,
    @Nullable Integer publishHostPort,
    int replicas,
    long cpuMillis,
    long memoryBytes,
    List<String> domains,
    @Nullable String healthCheckPath,
    int healthCheckIntervalMs,
    int healthCheckTimeoutMs,
    int healthCheckRetries,
    boolean autoDeploy,
    SecurityOptions security) {

  static final Set<String> TYPES = Set.of("app", "database", "worker", "cron");
  static final Set<String> SOURCE_TYPES =
      Set.of("image", "dockerfile", "nixpacks", "docker_compose");

  static ServiceConfig defaults(String name) {
    return new ServiceConfig(
        name,
        "app",
        "image",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        1,
        0,
        0,
        List.of(),
        null,
        5000,
        3000,
        3,
        false,
        SecurityOptions.DEFAULTS);
  }

  /** Reads the body over {@code base}; problems go to the body's error list. */
  static ServiceConfig read(JsonBody body, ServiceConfig base) {
    String name = or(body.string("name", false, Slugs.LABEL, "name " + Slugs.RULE), base.name);
    String type = or(body.oneOf("type", false, TYPES), base.type);
    String sourceType = or(body.oneOf("source_type", false, SOURCE_TYPES), base.sourceType);
    String image = body.given("image") ? image(body) : base.image;
    String dockerfile =
        body.given("dockerfile_path")
            ? body.string("dockerfile_path", false, 500)
            : base.dockerfilePath;
    String context =
        body.given("build_context") ? body.string("build_context", false, 500) : base.buildContext;
    UUID serverId = body.given("server_id") ? uuid(body, "server_id") : base.serverId;
    Integer port = body.given("port") ? body.integer("port", false, 1, 65535) : base.port;
    Publish publish = publish(body, base);
    int replicas = or(body.integer("replicas", false, 0, 1000), base.replicas);
    long cpu = or(body.int64("cpu_millis", false, 0, 1_000_000), base.cpuMillis);
    long memory = or(body.int64("memory_bytes", false, 0, 1L << 50), base.memoryBytes);
    if (memory != 0 && memory < ResourceLimits.MIN_MEMORY_BYTES) {
      body.reject(
          "memory_bytes", "must be 0 (unlimited) or at least " + ResourceLimits.MIN_MEMORY_BYTES);
    }
    List<String> domains = domains(body, base);
    Check check = healthCheck(body, base);
    boolean autoDeploy = or(body.bool("auto_deploy", false), base.autoDeploy);
    SecurityOptions security = ServiceSecurity.read(body, base.security);
    ServiceConfig config =
        new ServiceConfig(
            name,
            type,
            sourceType,
            image,
            dockerfile,
            context,
            serverId,
            port,
            publish.hostIp(),
            publish.hostPort(),
            replicas,
            cpu,
            memory,
            domains,
            check.path(),
            check.intervalMs(),
            check.timeoutMs(),
            check.retries(),
            autoDeploy,
            security);
    config.checkConsistency(body);
    return config;
  }

  /** The domains, normalized (lower case, no trailing dot) and without repeats. */
  private static List<String> domains(JsonBody body, ServiceConfig base) {
    List<String> given = body.strings("domains", false, 50, DomainNames::problem);
    return given == null
        ? base.domains
        : given.stream().map(DomainNames::normalize).distinct().toList();
  }

  /** Host publishing as the body changes it: absent keeps, null removes, an object replaces. */
  private record Publish(@Nullable String hostIp, @Nullable Integer hostPort) {}

  private static Publish publish(JsonBody body, ServiceConfig base) {
    if (!body.given("publish")) {
      return new Publish(base.publishHostIp, base.publishHostPort);
    }
    JsonBody publish = body.object("publish", false);
    if (publish == null) {
      return new Publish(null, null);
    }
    String ip = publish.string("host_ip", false, 64);
    Integer port = publish.integer("host_port", true, 1, 65535);
    if (ip != null && !isIpLiteral(ip)) {
      publish.reject("host_ip", "must be an IPv4 or IPv6 address, e.g. 127.0.0.1");
    }
    return new Publish(ip == null ? "127.0.0.1" : ip, port);
  }

  /** The health check as the body changes it: absent keeps, null removes, fields override. */
  private record Check(@Nullable String path, int intervalMs, int timeoutMs, int retries) {}

  private static Check healthCheck(JsonBody body, ServiceConfig base) {
    Check current =
        new Check(
            base.healthCheckPath,
            base.healthCheckIntervalMs,
            base.healthCheckTimeoutMs,
            base.healthCheckRetries);
    if (!body.given("health_check")) {
      return current;
    }
    JsonBody check = body.object("health_check", false);
    if (check == null) {
      return new Check(null, current.intervalMs, current.timeoutMs, current.retries);
    }
    String path = check.string("path", false, 500);
    if (path != null && !path.startsWith("/")) {
      check.reject("path", "must start with '/'");
    }
    return new Check(
        path,
        or(check.integer("interval_ms", false, 100, 3_600_000), current.intervalMs),
        or(check.integer("timeout_ms", false, 100, 600_000), current.timeoutMs),
        or(check.integer("retries", false, 1, 100), current.retries));
  }

  private void checkConsistency(JsonBody body) {
    if (sourceType.equals("image") && image == null) {
      body.reject("image", "is required when source_type is 'image'");
    }
    if (publishHostPort != null && port == null) {
      body.reject("publish", "needs 'port', the container port to publish");
    }
    if (!domains.isEmpty() && port == null) {
      body.reject("domains", "need 'port', the port the proxy routes to");
    }
    if (healthCheckPath != null && port == null) {
      body.reject("health_check", "needs 'port' to probe");
    }
  }

  private static @Nullable String image(JsonBody body) {
    String text = body.string("image", false, 512);
    if (text == null) {
      return null;
    }
    try {
      return ImageReference.parse(text).toString();
    } catch (IllegalArgumentException e) {
      body.reject("image", e.getMessage().replaceFirst("^image: ", ""));
      return null;
    }
  }

  private static boolean isIpLiteral(String ip) {
    try {
      new HostBinding(ip, 1);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static @Nullable UUID uuid(JsonBody body, String field) {
    String text = body.string(field, false, 36);
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      body.reject(field, "must be an id");
      return null;
    }
  }

  private static <T> T or(@Nullable T value, T fallback) {
    return value != null ? value : fallback;
  }
}
