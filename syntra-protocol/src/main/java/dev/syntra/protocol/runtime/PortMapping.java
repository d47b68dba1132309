package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import org.jspecify.annotations.Nullable;

/**
 * A port the service listens on, optionally published on the host ({@code publish}, e.g. {@code
 * 127.0.0.1:18080 -> 8080}). Unpublished ports are reachable from the service network and through
 * the reverse proxy only.
 */
public record PortMapping(int containerPort, Protocol protocol, @Nullable HostBinding publish) {
  /** Transport protocol of a port. */
  public enum Protocol {
    TCP,
    UDP
  }

  public PortMapping {
    Checks.range(containerPort, 1, 65535, "container_port");
    Checks.notNull(protocol, "protocol");
  }

  public static PortMapping tcp(int containerPort) {
    return new PortMapping(containerPort, Protocol.TCP, null);
  }

  public static PortMapping tcp(int containerPort, HostBinding publish) {
    return new PortMapping(containerPort, Protocol.TCP, publish);
  }
}
