package dev.syntra.server.service;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Host names as services claim them. A name is normalized before it is checked or stored (lower
 * case, without the trailing dot of a fully qualified name), so {@code Shop.Example.COM.} and
 * {@code shop.example.com} are one claim. A wildcard {@code *.example.com} covers exactly one label
 * in front of its zone, as the proxies route it.
 */
final class DomainNames {
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

  private DomainNames() {}

  /** {@code name} in lower case without one trailing dot. */
  static String normalize(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** Why the normalized {@code name} is not a host name, or null when it is one. */
  static @Nullable String problem(String name) {
    return DOMAIN.matcher(normalize(name)).matches()
        ? null
        : "must be a host name such as app.example.com or *.example.com";
  }

  /**
   * The parent domain: {@code example.com} for both {@code *.example.com} and {@code
   * app.example.com}. A wildcard and an exact name overlap when they share it.
   */
  static String zone(String host) {
    return host.substring(host.indexOf('.') + 1);
  }

  static boolean isWildcard(String host) {
    return host.startsWith("*.");
  }
}
