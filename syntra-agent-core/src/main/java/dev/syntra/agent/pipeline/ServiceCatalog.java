package dev.syntra.agent.pipeline;

import dev.syntra.agent.state.AtomicFiles;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.telemetry.enrich.ServiceDirectory;
import dev.syntra.telemetry.enrich.ServiceIdentity;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the agent knows of each service it deployed, taken from the last deploy spec: Syntra's
 * service id, deployment id and environment (from the {@code OTEL_RESOURCE_ATTRIBUTES} and {@code
 * OTEL_SERVICE_NAME} the control plane injects), and which container ports are published on the
 * host (for Prometheus scrapes). The enricher asks it through {@link ServiceDirectory}.
 *
 * <p>Kept in {@code service-catalog.json} so a restarted agent still knows; the file holds only
 * these derived values, never the spec's env (which carries secrets). Thread-safe.
 */
public final class ServiceCatalog implements ServiceDirectory {
  /** File name inside the state directory. */
  public static final String FILE_NAME = "service-catalog.json";

  private static final Logger log = LoggerFactory.getLogger(ServiceCatalog.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_SERVICES = 10_000;

  private final Path file;
  private final Map<ServiceRef, Entry> entries = new LinkedHashMap<>();

  /**
   * One service as the agent knows it.
   *
   * @param published container port to host port, for ports published on the host's loopback or on
   *     every address
   */
  record Entry(ServiceIdentity identity, Map<Integer, Integer> published) {
    Entry {
      published = Map.copyOf(published);
    }
  }

  private ServiceCatalog(Path file) {
    this.file = file;
  }

  /**
   * Loads {@code service-catalog.json} from {@code stateDir}; a damaged file is logged and ignored.
   */
  public static ServiceCatalog open(Path stateDir) {
    ServiceCatalog catalog = new ServiceCatalog(stateDir.resolve(FILE_NAME));
    catalog.load();
    return catalog;
  }

  /** Records what {@code spec} says of its service; durable when this returns (best effort). */
  public void deployed(DeploySpec spec) {
    Entry entry = entryOf(spec);
    synchronized (this) {
      if (!entries.containsKey(spec.service()) && entries.size() >= MAX_SERVICES) {
        return;
      }
      entries.put(spec.service(), entry);
      save();
    }
  }

  /** The host port the container port {@code containerPort} of {@code service} is published on. */
  public synchronized OptionalInt publishedPort(ServiceRef service, int containerPort) {
    Entry entry = entries.get(service);
    Integer port = entry == null ? null : entry.published().get(containerPort);
    return port == null ? OptionalInt.empty() : OptionalInt.of(port);
  }

  @Override
  public synchronized Optional<ServiceIdentity> byServiceId(String serviceId) {
    return entries.values().stream()
        .map(Entry::identity)
        .filter(i -> i.serviceId().equals(serviceId))
        .findFirst();
  }

  @Override
  public Optional<ServiceIdentity> byContainerId(String containerId) {
    return Optional.empty(); // container ids change with every replica; logs carry the service
  }

  /**
   * The one service called {@code serviceName}; empty when none is, or when services of several
   * projects share the name (the resource could be any of them: better unenriched than wrong).
   */
  @Override
  public synchronized Optional<ServiceIdentity> byServiceName(String serviceName) {
    List<ServiceIdentity> named =
        entries.values().stream()
            .map(Entry::identity)
            .filter(i -> serviceName.equals(i.serviceName()))
            .distinct()
            .limit(2)
            .toList();
    return named.size() == 1 ? Optional.of(named.getFirst()) : Optional.empty();
  }

  /** The identity of {@code service}, if it was deployed by this agent. */
  public synchronized Optional<ServiceIdentity> identity(ServiceRef service) {
    Entry entry = entries.get(service);
    return entry == null ? Optional.empty() : Optional.of(entry.identity());
  }

  static Entry entryOf(DeploySpec spec) {
    Map<String, String> attributes = resourceAttributes(spec.env().get("OTEL_RESOURCE_ATTRIBUTES"));
    String serviceName = spec.env().getOrDefault("OTEL_SERVICE_NAME", spec.service().service());
    String serviceId = attributes.getOrDefault("syntra.service.id", spec.service().toString());
    ServiceIdentity identity =
        new ServiceIdentity(
            serviceId, spec.deploymentId(), attributes.get("deployment.environment"), serviceName);
    Map<Integer, Integer> published = new LinkedHashMap<>();
    for (PortMapping port : spec.ports()) {
      if (port.publish() != null
          && port.protocol() == PortMapping.Protocol.TCP
          && isLocal(port.publish().ip())) {
        published.put(port.containerPort(), port.publish().port());
      }
    }
    return new Entry(identity, published);
  }

  private static boolean isLocal(String ip) {
    return ip.equals("127.0.0.1") || ip.equals("0.0.0.0") || ip.equals("::1") || ip.equals("::");
  }

  /**
   * Parses {@code k=v,k2=v2} as the OpenTelemetry spec defines it: values percent-encoded as in W3C
   * baggage, where {@code +} is itself, not a space (unlike form encoding).
   */
  static Map<String, String> resourceAttributes(@Nullable String value) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (value == null) {
      return attributes;
    }
    for (String pair : value.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        try {
          attributes.put(
              pair.substring(0, eq).strip(),
              URLDecoder.decode(
                  pair.substring(eq + 1).strip().replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
          // a malformed percent-escape: the pair is skipped, as OpenTelemetry SDKs do
        }
      }
    }
    return attributes;
  }

  private void load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      log.warn(
          "Cannot read {}: {}; service ids are learnt again at the next deploy",
          file,
          e.toString());
      return;
    }
    try {
      for (JsonNode node : JSON.readTree(bytes).path("services")) {
        ServiceRef ref =
            new ServiceRef(
                node.path("organization").asString(),
                node.path("project").asString(),
                node.path("service").asString());
        Map<Integer, Integer> published = new LinkedHashMap<>();
        node.path("published")
            .properties()
            .forEach(p -> published.put(Integer.parseInt(p.getKey()), p.getValue().asInt()));
        entries.put(
            ref,
            new Entry(
                new ServiceIdentity(
                    node.path("service_id").asString(),
                    text(node, "deployment_id"),
                    text(node, "environment"),
                    text(node, "service_name")),
                published));
      }
    } catch (JacksonException | IllegalArgumentException e) {
      entries.clear();
      log.warn(
          "Ignoring the damaged {}: {}; it is written again at the next deploy",
          file,
          e.getMessage());
    }
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  private void save() {
    ObjectNode root = JSON.createObjectNode();
    var services = root.putArray("services");
    List<Map.Entry<ServiceRef, Entry>> snapshot = new ArrayList<>(entries.entrySet());
    for (Map.Entry<ServiceRef, Entry> e : snapshot) {
      ObjectNode node = services.addObject();
      node.put("organization", e.getKey().organization());
      node.put("project", e.getKey().project());
      node.put("service", e.getKey().service());
      ServiceIdentity identity = e.getValue().identity();
      node.put("service_id", identity.serviceId());
      node.put("deployment_id", identity.deploymentId());
      node.put("environment", identity.environment());
      node.put("service_name", identity.serviceName());
      ObjectNode published = node.putObject("published");
      e.getValue().published().forEach((k, v) -> published.put(Integer.toString(k), v));
    }
    try {
      AtomicFiles.write(file, JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      log.warn("Cannot write {}: {}; the catalog is kept in memory only", file, e.toString());
    }
  }
}
