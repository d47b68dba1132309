package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.util.regex.Pattern;

/**
 * Where a container port is published on the host, e.g. {@code 127.0.0.1:18080}. The ip must be an
 * IPv4 or IPv6 literal (validated as text; no name is ever resolved).
 */
public record HostBinding(String ip, int port) {
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  public HostBinding {
    Checks.notBlank(ip, "host_ip");
    if (!isIpLiteral(ip)) {
      throw new IllegalArgumentException(
          "host_ip: must be an IPv4 or IPv6 literal, was '" + ip + "'");
    }
    Checks.range(port, 1, 65535, "host_port");
  }

  /** Loopback only: {@code 127.0.0.1:port}. */
  public static HostBinding loopback(int port) {
    return new HostBinding("127.0.0.1", port);
  }

  private static boolean isIpLiteral(String ip) {
    return IPV4.matcher(ip).matches() || isIpv6(ip);
  }

  /** RFC 4291 text form: 8 groups of 1-4 hex digits, one "::" at most, optional IPv4 tail. */
  private static boolean isIpv6(String ip) {
    int doubleColon = ip.indexOf("::");
    if (doubleColon != ip.lastIndexOf("::") || ip.length() > 45) {
      return false;
    }
    if (doubleColon < 0) {
      return groups(ip) == 8;
    }
    String head = ip.substring(0, doubleColon);
    String tail = ip.substring(doubleColon + 2);
    int headGroups = head.isEmpty() ? 0 : groups(head);
    int tailGroups = tail.isEmpty() ? 0 : groups(tail);
    return headGroups >= 0 && tailGroups >= 0 && headGroups + tailGroups <= 7;
  }

  /** Groups in a ':'-separated run (an IPv4 tail counts as two), or -1 if malformed. */
  private static int groups(String run) {
    String[] parts = run.split(":", -1);
    int count = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i == parts.length - 1 && IPV4.matcher(part).matches()) {
        count += 2;
      } else if (HEX_GROUP.matcher(part).matches()) {
        count++;
      } else {
        return -1;
      }
    }
    return count;
  }

  @Override
  public String toString() {
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }
}
