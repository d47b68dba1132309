package dev.syntra.runtime.docker.internal.traefik;

import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Names, routing rules, TLS domains and health-check values shared by {@link TraefikLabels} (docker
 * provider) and {@link CanaryRouting} (file provider), so both always describe the same routes.
 *
 * <p>Targets Traefik v3 with its default rule syntax ({@code ruleSyntax: v3}): a plain domain is
 * matched with {@code Host(`a.example.com`)}, a wildcard {@code *.example.com} with a Go regular
 * expression in {@code HostRegexp}, which the v2 syntax does not accept.
 *
 * <p>Every value that ends up in a label or in the YAML is checked against a strict character set
 * here. Domains are already validated by {@code DeploySpec}; they are checked again because a
 * backtick, comma, quote or brace would let a value rewrite the rule, a label list or the file
 * provider's Go template. Stateless and thread-safe.
 */
final class TraefikRule {
  /** Same grammar as {@code DeploySpec}: lower-case host names, optional {@code *.} prefix. */
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

  /** RFC 3986 path and query characters, without braces, quotes, backticks or spaces. */
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,1023}");

  /** One DNS label, as a {@code *} of a wildcard certificate stands for. */
  private static final String WILDCARD_LABEL = "[a-z0-9-]+";

  /**
   * Priority of a service's router for a wildcard domain. Traefik tries routers by descending
   * priority (its default is the rule's length); every generated router sets one explicitly, so
   * neither a longer rule nor a wildcard can take an exact host from another service.
   */
  static final int PRIORITY_WILDCARD = 10;

  /** Priority of a service's router for an exact host: above every wildcard router. */
  static final int PRIORITY_EXACT = 20;

  /**
   * Added to the priority of a canary (file-provider) router, which must outrank only its own
   * service's label router for the same host: still below every exact host of the other band.
   */
  static final int CANARY_BONUS = 1;

  private TraefikRule() {}

  /** {@link #PRIORITY_EXACT} for a host name, {@link #PRIORITY_WILDCARD} for {@code *.}. */
  static int priority(String domain) {
    return domain.startsWith("*.") ? PRIORITY_WILDCARD : PRIORITY_EXACT;
  }

  /**
   * {@code <baseName>-<6 hex of SHA-256 of the domain>}: the prefix of the routers of one domain of
   * one service. One router per domain, never a rule that ORs two hosts: a rule covering another
   * service's host next to the own one could otherwise win on that host.
   */
  static String routerName(ServiceRef service, String domain) {
    return baseName(service) + "-" + sha256Hex(domain);
  }

  /**
   * {@code syn-<organization>-<project>-<service>-<hash>}: the Traefik service name and the prefix
   * of every name. The hash (6 hex digits of SHA-256 of {@code organization/project/service}) keeps
   * names of different services apart even when dashes make them read alike ({@code a-b}/{@code c}
   * and {@code a}/{@code b-c}): Traefik disables a router defined twice, so a clash would take
   * another service offline.
   */
  static String baseName(ServiceRef service) {
    return "syn-"
        + service.organization()
        + "-"
        + service.project()
        + "-"
        + service.service()
        + "-"
        + shortHash(service);
  }

  private static String shortHash(ServiceRef service) {
    return sha256Hex(service.organization() + "/" + service.project() + "/" + service.service());
  }

  private static String sha256Hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * The domains in their given order without duplicates.
   *
   * @throws IllegalArgumentException if one is not a lower-case host name or {@code *.} wildcard
   */
  static List<String> domains(List<String> domains) {
    Set<String> distinct = new LinkedHashSet<>();
    for (int i = 0; i < domains.size(); i++) {
      String domain = domains.get(i);
      if (!DOMAIN.matcher(domain).matches()) {
        throw new IllegalArgumentException(
            "domains[" + i + "]: '" + domain + "' is not a lower-case host name or *. wildcard");
      }
      distinct.add(domain);
    }
    return List.copyOf(distinct);
  }

  /**
   * {@code Host(`a.example.com`)}, or for {@code *.example.com} a case-insensitive {@code
   * HostRegexp} matching exactly one label in front of the parent domain, with an optional port
   * ({@code HostRegexp} sees the raw Host header, {@code Host} the canonical host).
   */
  static String matcher(String domain) {
    if (!domain.startsWith("*.")) {
      return "Host(`" + domain + "`)";
    }
    String parent = domain.substring(2).replace(".", "\\.");
    return "HostRegexp(`(?i)^" + WILDCARD_LABEL + "\\." + parent + "(:[0-9]+)?$`)";
  }

  /**
   * Certificates to request explicitly, or an empty list when no domain is a wildcard (then the
   * resolver takes the domains from the rule). Traefik ignores the rule once {@code tls.domains} is
   * set, so with a wildcard every domain is listed: {@code *.example.com} becomes main {@code
   * example.com} with SAN {@code *.example.com} (the form of Traefik's documentation; both are
   * validated with the same DNS-01 record), and a plain domain equal to such an apex is not
   * repeated. Wildcard certificates need a resolver configured for the DNS-01 challenge.
   */
  static List<TlsDomain> tlsDomains(String domain) {
    return domain.startsWith("*.")
        ? List.of(new TlsDomain(domain.substring(2), List.of(domain)))
        : List.of();
  }

  /**
   * The health-check path for Traefik's load balancer, or null when there is no check or it is not
   * an HTTP check (Traefik's load-balancer checks are HTTP only; the adapter itself still gates
   * replicas on TCP checks).
   *
   * @throws IllegalArgumentException if the path holds characters outside RFC 3986 path/query
   *     characters (spaces, quotes, backticks, braces, control characters)
   */
  static @Nullable String healthPath(@Nullable HealthCheck check) {
    String path = check == null ? null : check.path();
    if (check == null || check.type() != HealthCheck.Type.HTTP || path == null) {
      return null;
    }
    if (!PATH.matcher(path).matches()) {
      throw new IllegalArgumentException(
          "health_check.path: only RFC 3986 path and query characters are allowed (no spaces,"
              + " quotes, backticks or braces), and at most 1024 of them");
    }
    return path;
  }

  /** A Go duration string: {@code 5s} for whole seconds, {@code 1500ms} otherwise. */
  static String duration(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /**
   * One explicitly requested certificate.
   *
   * @param main the certificate's main domain
   * @param sans its subject alternative names, possibly empty
   */
  record TlsDomain(String main, List<String> sans) {
    TlsDomain {
      sans = List.copyOf(sans);
    }
  }
}
