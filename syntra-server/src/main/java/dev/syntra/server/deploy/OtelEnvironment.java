package dev.syntra.server.deploy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry environment a deploy gives a service's containers, so an app with any
 * OpenTelemetry SDK sends its telemetry to the agent on its host without setup: {@code
 * OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES} (the ids the agent enriches by), {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} and {@code OTEL_EXPORTER_OTLP_PROTOCOL}.
 *
 * <p>What the user set wins: a variable the service's env (or the deploy's overrides) already has
 * is kept, except that {@code OTEL_RESOURCE_ATTRIBUTES} is merged: the user's keys are kept, and
 * the {@code syntra.*} keys are always Syntra's (a deploy's env cannot claim another service's id).
 * This does not stop an app from setting {@code syntra.*} attributes in its own code: the agent
 * must not take them on trust.
 */
final class OtelEnvironment {
  static final String SERVICE_NAME = "OTEL_SERVICE_NAME";
  static final String RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";
  static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  static final String PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";

  /** The agent's OTLP/HTTP receiver as a Docker container reaches its host. */
  static final String DOCKER_ENDPOINT = "http://host.docker.internal:4318";

  /**
   * The agent's OTLP/HTTP receiver as a Kubernetes pod reaches its node: the Kubernetes adapter
   * sets {@code SYNTRA_NODE_IP} from the downward API ({@code status.hostIP}) before the other
   * variables, and Kubernetes expands {@code $(SYNTRA_NODE_IP)} in later values.
   */
  static final String KUBERNETES_ENDPOINT = "http://$(SYNTRA_NODE_IP):4318";

  private static final String SYNTRA_PREFIX = "syntra.";

  private OtelEnvironment() {}

  /** Who the containers are: the values of the resource attributes. */
  record Identity(
      String serviceName,
      UUID serviceId,
      UUID projectId,
      UUID deploymentId,
      @Nullable String environment) {}

  /**
   * {@code env} with the OpenTelemetry variables added for {@code runtime} ({@code kubernetes}, or
   * anything else for Docker, the agent's default).
   */
  static Map<String, String> inject(
      Map<String, String> env, Identity identity, @Nullable String runtime) {
    Map<String, String> out = new LinkedHashMap<>(env);
    out.putIfAbsent(SERVICE_NAME, identity.serviceName());
    out.put(RESOURCE_ATTRIBUTES, resourceAttributes(identity, env.get(RESOURCE_ATTRIBUTES)));
    if (!env.containsKey(ENDPOINT)) {
      // Only with our endpoint: a user's own endpoint may speak gRPC.
      out.put(ENDPOINT, "kubernetes".equals(runtime) ? KUBERNETES_ENDPOINT : DOCKER_ENDPOINT);
      out.putIfAbsent(PROTOCOL, "http/protobuf");
    }
    return out;
  }

  /**
   * Syntra's attributes first, then the user's (percent-encoded as the user wrote them) except
   * their {@code syntra.*} keys. {@code deployment.environment} is added only when the model has an
   * environment and the user did not set it.
   */
  static String resourceAttributes(Identity identity, @Nullable String user) {
    Map<String, String> ours = new LinkedHashMap<>();
    ours.put("syntra.service.id", encode(identity.serviceId().toString()));
    ours.put("syntra.deployment.id", encode(identity.deploymentId().toString()));
    ours.put("syntra.project.id", encode(identity.projectId().toString()));
    Map<String, String> theirs = new LinkedHashMap<>();
    if (user != null) {
      for (String pair : user.split(",")) {
        int eq = pair.indexOf('=');
        String key = (eq < 0 ? pair : pair.substring(0, eq)).strip();
        if (eq < 0 || key.isEmpty() || key.startsWith(SYNTRA_PREFIX)) {
          continue; // malformed pairs are dropped, as the SDKs drop them
        }
        theirs.put(key, pair.substring(eq + 1).strip());
      }
    }
    if (identity.environment() != null) {
      theirs.putIfAbsent("deployment.environment", encode(identity.environment()));
    }
    StringBuilder text = new StringBuilder();
    ours.forEach((k, v) -> append(text, k, v));
    theirs.forEach((k, v) -> append(text, k, v));
    return text.toString();
  }

  private static void append(StringBuilder text, String key, String value) {
    if (!text.isEmpty()) {
      text.append(',');
    }
    text.append(key).append('=').append(value);
  }

  /**
   * Percent-encodes a value as the OpenTelemetry specification asks of {@code
   * OTEL_RESOURCE_ATTRIBUTES} (the W3C baggage octets): everything but printable ASCII other than
   * space, {@code "}, {@code ,}, {@code ;}, {@code \} and {@code %} is encoded as UTF-8 bytes.
   */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\' && c != '%';
      if (plain) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
