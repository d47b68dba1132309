package dev.syntra.server.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;

/**
 * {@code SYNTRA_TRUSTED_PROXIES}: the addresses of the reverse proxies or load balancers in front
 * of the server, comma-separated IP literals. A request arriving from one of them is taken to come
 * from the address its {@code X-Forwarded-For} names (the right-most one that is not itself a
 * trusted proxy), so per-address limits, the audit log and invitation limits see real clients
 * instead of one shared address. Unset: forwarded headers are ignored (anyone could forge them).
 */
final class TrustedProxies {
  private static final String NAME = "SYNTRA_TRUSTED_PROXIES";
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private TrustedProxies() {}

  /** The configured proxies, normalized as Tomcat prints remote addresses; empty when unset. */
  static List<String> from(Environment env) {
    String value = env.getProperty(NAME, "").strip();
    List<String> proxies = new ArrayList<>();
    if (value.isEmpty()) {
      return proxies;
    }
    for (String item : value.split(",")) {
      proxies.add(normalized(item.strip()));
    }
    return proxies;
  }

  /** A regular expression matching exactly these addresses (Tomcat's {@code internalProxies}). */
  static String pattern(List<String> proxies) {
    return proxies.stream().map(Pattern::quote).collect(Collectors.joining("|"));
  }

  private static String normalized(String address) {
    if (IPV4.matcher(address).matches()) {
      return address;
    }
    if (address.contains(":") && IPV6.matcher(address).matches()) {
      try {
        return InetAddress.getByName(address).getHostAddress(); // a literal: no DNS lookup
      } catch (UnknownHostException e) {
        // falls through to the error below
      }
    }
    throw new IllegalStateException(
        NAME
            + ": expected comma-separated IP addresses of your proxies (e.g. 10.0.0.5,10.0.0.6),"
            + " got '"
            + address
            + "'");
  }
}
