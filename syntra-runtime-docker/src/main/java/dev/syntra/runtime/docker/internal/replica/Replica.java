package dev.syntra.runtime.docker.internal.replica;

import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.ServiceRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * One managed container as the adapter sees it: identity from its labels, the loopback ports Docker
 * assigned to its container ports, and the host bindings it serves through a published-port proxy.
 *
 * @param id container id
 * @param name container name without the leading slash
 * @param service owning service
 * @param deploymentId deployment that created it
 * @param index replica index within the deployment
 * @param role {@link ReplicaFactory#ROLE_ACTIVE} or {@link ReplicaFactory#ROLE_CANARY}
 * @param running whether the container runs now
 * @param loopbackPorts container port to the ephemeral port published on 127.0.0.1
 * @param published host binding (as text) to the container port it serves
 * @param imageDigest digest recorded at creation, or null
 * @param createdEpochSeconds creation time in seconds since the epoch
 */
public record Replica(
    String id,
    String name,
    ServiceRef service,
    String deploymentId,
    int index,
    String role,
    boolean running,
    Map<Integer, Integer> loopbackPorts,
    Map<String, Integer> published,
    @Nullable String imageDigest,
    long createdEpochSeconds) {

  public Replica {
    loopbackPorts = Map.copyOf(loopbackPorts);
    published = Map.copyOf(published);
  }

  /** The loopback port serving {@code containerPort}, if Docker published one. */
  public OptionalInt loopbackPort(int containerPort) {
    Integer port = loopbackPorts.get(containerPort);
    return port == null ? OptionalInt.empty() : OptionalInt.of(port);
  }

  /** The loopback port behind a host binding this replica serves, if any. */
  public OptionalInt backendPortFor(HostBinding binding) {
    Integer containerPort = published.get(binding.toString());
    return containerPort == null ? OptionalInt.empty() : loopbackPort(containerPort);
  }

  /** A copy with fresh runtime facts (after a restart Docker may assign new loopback ports). */
  public Replica withRuntime(boolean running, Map<Integer, Integer> loopbackPorts) {
    return new Replica(
        id,
        name,
        service,
        deploymentId,
        index,
        role,
        running,
        loopbackPorts,
        published,
        imageDigest,
        createdEpochSeconds);
  }

  /** Encodes host bindings for the {@code syntra.publish} label. */
  public static String encodePublished(Map<HostBinding, Integer> published) {
    List<String> parts = new ArrayList<>();
    published.forEach((binding, port) -> parts.add(binding + "=" + port));
    return String.join(",", parts);
  }

  /** Decodes {@link #encodePublished}; malformed parts are skipped. */
  public static Map<String, Integer> decodePublished(@Nullable String label) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (label == null || label.isBlank()) {
      return out;
    }
    for (String part : label.split(",")) {
      int eq = part.lastIndexOf('=');
      if (eq <= 0) {
        continue;
      }
      try {
        HostBinding binding = parseBinding(part.substring(0, eq));
        out.put(binding.toString(), Integer.parseInt(part.substring(eq + 1)));
      } catch (IllegalArgumentException e) {
        // A hand-edited or foreign label: ignore the part rather than fail the whole service.
      }
    }
    return out;
  }

  /**
   * Parses the text form of {@link HostBinding#toString()}: {@code ip:port} or {@code [v6]:port}.
   */
  public static HostBinding parseBinding(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a host binding: " + text);
    }
    String ip = text.substring(0, colon);
    if (ip.startsWith("[") && ip.endsWith("]")) {
      ip = ip.substring(1, ip.length() - 1);
    }
    return new HostBinding(ip, Integer.parseInt(text.substring(colon + 1)));
  }
}
