package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Where a container port is published on the host, e.g. {@code 127.0.0.1:18080}. The ip must be an
 * IPv4 or IPv6 literal; host names are refused so that no lookup ever happens.
 */
public record HostBinding(String ip, int port) {
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
    if (IPV4.matcher(ip).matches()) {
      return true;
    }
    if (!ip.contains(":")
        || !ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      return false;
    }
    try {
      // A string with ':' is parsed as an IPv6 literal and never looked up.
      InetAddress.getByName(ip);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }
}
