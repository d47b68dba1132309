package dev.syntra.server.service;

import dev.syntra.protocol.runtime.HostBinding;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * What the server operator lets services do on their hosts, from {@code SYNTRA_*} settings. Each
 * privilege also needs an organization admin (see {@link PrivilegedChanges}): the operator decides
 * what is possible on the machines, the organization who may use it.
 *
 * @param minPublishPort {@code SYNTRA_PUBLISH_MIN_PORT}, default 1024: lower host ports need the
 *     allow-list
 * @param allowedHostIps {@code SYNTRA_PUBLISH_ALLOWED_HOST_IPS}: comma-separated addresses besides
 *     loopback that services may publish on (e.g. {@code 0.0.0.0}); none by default
 * @param allowedPorts {@code SYNTRA_PUBLISH_ALLOWED_PORTS}: comma-separated host ports or ranges
 *     below the floor (e.g. {@code 80,443}); none by default
 * @param allowedCapabilities {@code SYNTRA_ALLOWED_CAPABILITIES}: Linux capabilities beyond the
 *     default set that services may add (e.g. {@code NET_ADMIN,SYS_PTRACE}); none by default
 * @param allowNewPrivileges {@code SYNTRA_ALLOW_NEW_PRIVILEGES}, default false: whether a service
 *     may turn {@code no_new_privileges} off
 */
public record ServicePolicy(
    int minPublishPort,
    List<InetAddress> allowedHostIps,
    List<PortRange> allowedPorts,
    Set<String> allowedCapabilities,
    boolean allowNewPrivileges) {

  static final String MIN_PORT = "SYNTRA_PUBLISH_MIN_PORT";
  static final String HOST_IPS = "SYNTRA_PUBLISH_ALLOWED_HOST_IPS";
  static final String PORTS = "SYNTRA_PUBLISH_ALLOWED_PORTS";
  static final String CAPABILITIES = "SYNTRA_ALLOWED_CAPABILITIES";
  static final String NEW_PRIVILEGES = "SYNTRA_ALLOW_NEW_PRIVILEGES";

  private static final Pattern RANGE = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
  private static final Pattern CAPABILITY = Pattern.compile("ALL|[A-Z][A-Z_]{1,31}");

  /** Host ports {@code from} to {@code to}, both included. */
  public record PortRange(int from, int to) {
    boolean contains(int port) {
      return port >= from && port <= to;
    }
  }

  public ServicePolicy {
    allowedHostIps = List.copyOf(allowedHostIps);
    allowedPorts = List.copyOf(allowedPorts);
    allowedCapabilities = Set.copyOf(allowedCapabilities);
  }

  /**
   * Reads the settings.
   *
   * @throws IllegalStateException naming the variable and the expected form when one is malformed
   */
  public static ServicePolicy from(Environment env) {
    String floor = env.getProperty(MIN_PORT, "1024").strip();
    if (!floor.matches("\\d{1,5}") || Integer.parseInt(floor) > 65_536) {
      throw new IllegalStateException(
          MIN_PORT + ": expected a port number 1-65536 (1 allows every port), got '" + floor + "'");
    }
    return new ServicePolicy(
        Math.max(1, Integer.parseInt(floor)),
        items(env, HOST_IPS).stream().map(ServicePolicy::address).toList(),
        items(env, PORTS).stream().map(ServicePolicy::range).toList(),
        new TreeSet<>(items(env, CAPABILITIES).stream().map(ServicePolicy::capability).toList()),
        bool(env, NEW_PRIVILEGES));
  }

  boolean hostIpAllowed(InetAddress address) {
    return allowedHostIps.contains(address);
  }

  boolean portAllowed(int port) {
    return port >= minPublishPort || allowedPorts.stream().anyMatch(r -> r.contains(port));
  }

  /** The address of an IP literal (never resolved: the text is checked to be a literal first). */
  static InetAddress literal(String ip) {
    try {
      new HostBinding(ip, 1);
      return InetAddress.getByName(ip);
    } catch (IllegalArgumentException | UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: '" + ip + "'", e);
    }
  }

  private static List<String> items(Environment env, String name) {
    List<String> items = new ArrayList<>();
    for (String item : env.getProperty(name, "").split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  private static InetAddress address(String text) {
    try {
      return literal(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          HOST_IPS
              + ": expected comma-separated IP addresses (e.g. 0.0.0.0,192.0.2.10), got '"
              + text
              + "'");
    }
  }

  private static PortRange range(String text) {
    var m = RANGE.matcher(text);
    if (m.matches()) {
      int from = Integer.parseInt(m.group(1));
      int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
      if (from >= 1 && from <= to && to <= 65_535) {
        return new PortRange(from, to);
      }
    }
    throw new IllegalStateException(
        PORTS
            + ": expected comma-separated ports or ranges 1-65535 (e.g. 80,443,8000-8099), got '"
            + text
            + "'");
  }

  private static String capability(String text) {
    String name = text.toUpperCase(Locale.ROOT);
    if (!CAPABILITY.matcher(name).matches() || name.startsWith("CAP_")) {
      throw new IllegalStateException(
          CAPABILITIES
              + ": expected comma-separated capability names without CAP_ (e.g."
              + " NET_ADMIN,SYS_PTRACE), got '"
              + text
              + "'");
    }
    return name;
  }

  private static boolean bool(Environment env, String name) {
    String value = env.getProperty(name, "false").strip().toLowerCase(Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalStateException(name + ": expected true or false, got '" + value + "'");
    }
    return value.equals("true");
  }
}
