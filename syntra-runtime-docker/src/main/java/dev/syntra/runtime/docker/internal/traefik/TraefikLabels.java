package dev.syntra.runtime.docker.internal.traefik;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Traefik docker-provider labels routing a service's domains to its first port, for Traefik v3
 * (default {@code v3} rule syntax; see {@link TraefikRule}). Every replica of a service, old or
 * new, stable or canary, carries the same labels, so Traefik's docker provider merges them into one
 * load balancer.
 *
 * <p>With {@code b = syn-<organization>-<project>-<service>-<hash>} and {@code r = b-<hash of the
 * domain>} for each domain, the labels define:
 *
 * <ul>
 *   <li>{@code traefik.enable=true} and {@code traefik.docker.network=syn-<organization>-<project>}
 *       (the project network Traefik must be attached to);
 *   <li>per domain, router {@code r-secure} on entry point {@value #ENTRYPOINT_HTTPS}: a rule for
 *       that one host, an explicit priority ({@code 20} for a host name, {@code 10} for a {@code
 *       *.} wildcard, see {@link TraefikRule#priority}), TLS with the certificate resolver (default
 *       {@value #DEFAULT_CERT_RESOLVER}), and {@code tls.domains[0].main/sans} for a wildcard;
 *   <li>per domain, router {@code r-http} on entry point {@value #ENTRYPOINT_HTTP}, same rule and
 *       priority, with middleware {@code b-https}, a permanent {@code redirectscheme} to https;
 *   <li>service {@code b}: {@code loadbalancer.server.port} = the first port and, for an HTTP
 *       health check, {@code loadbalancer.healthcheck.path/interval/timeout} (and {@code port} when
 *       the check probes another port).
 * </ul>
 *
 * <p>The entry points {@value #ENTRYPOINT_HTTP} and {@value #ENTRYPOINT_HTTPS} and the resolver
 * must exist in Traefik's static configuration; a wildcard domain needs a resolver using the DNS-01
 * challenge. Stateless and thread-safe.
 */
public final class TraefikLabels {
  /** Name of the certificate resolver used unless another is given. */
  public static final String DEFAULT_CERT_RESOLVER = "letsencrypt";

  /** Entry point of plain HTTP, redirected to HTTPS. */
  public static final String ENTRYPOINT_HTTP = "web";

  /** Entry point of HTTPS. */
  public static final String ENTRYPOINT_HTTPS = "websecure";

  private static final Pattern RESOLVER = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private TraefikLabels() {}

  /**
   * The labels for {@code spec} with the {@value #DEFAULT_CERT_RESOLVER} resolver; an empty map
   * when the spec has no domains.
   *
   * @return an unmodifiable map sorted by key
   * @throws IllegalArgumentException if a domain or the health-check path holds characters that
   *     could change the meaning of a label (never the case for a spec that passed validation,
   *     except a health-check path with spaces, quotes, backticks or braces)
   */
  public static Map<String, String> forService(DeploySpec spec) {
    return forService(spec, DEFAULT_CERT_RESOLVER);
  }

  /**
   * The labels for {@code spec} using the certificate resolver {@code certResolver}.
   *
   * @param certResolver 1-64 characters of {@code [A-Za-z0-9_-]}
   * @see #forService(DeploySpec)
   */
  public static Map<String, String> forService(DeploySpec spec, String certResolver) {
    String resolver = certResolver(certResolver);
    if (spec.domains().isEmpty()) {
      return Map.of();
    }
    List<String> domains = TraefikRule.domains(spec.domains());
    String base = TraefikRule.baseName(spec.service());
    String redirect = "traefik.http.middlewares." + base + "-https.redirectscheme.";
    String service = "traefik.http.services." + base + ".loadbalancer.";

    SortedMap<String, String> labels = new TreeMap<>();
    labels.put("traefik.enable", "true");
    labels.put("traefik.docker.network", Labels.network(spec.service()));
    for (String domain : domains) {
      routers(labels, TraefikRule.routerName(spec.service(), domain), domain, base, resolver);
    }
    labels.put(redirect + "scheme", "https");
    labels.put(redirect + "permanent", "true");

    int port = spec.ports().get(0).containerPort();
    labels.put(service + "server.port", Integer.toString(port));
    HealthCheck check = spec.healthCheck();
    String healthPath = TraefikRule.healthPath(check);
    if (check != null && healthPath != null) {
      labels.put(service + "healthcheck.path", healthPath);
      labels.put(service + "healthcheck.interval", TraefikRule.duration(check.interval()));
      labels.put(service + "healthcheck.timeout", TraefikRule.duration(check.timeout()));
      if (check.port() != port) {
        labels.put(service + "healthcheck.port", Integer.toString(check.port()));
      }
    }
    return Collections.unmodifiableSortedMap(labels);
  }

  /** The HTTPS router and the HTTP redirect router of one domain, with its explicit priority. */
  private static void routers(
      SortedMap<String, String> labels,
      String router,
      String domain,
      String base,
      String resolver) {
    String rule = TraefikRule.matcher(domain);
    String priority = Integer.toString(TraefikRule.priority(domain));
    String secure = "traefik.http.routers." + router + "-secure.";
    labels.put(secure + "rule", rule);
    labels.put(secure + "priority", priority);
    labels.put(secure + "entrypoints", ENTRYPOINT_HTTPS);
    labels.put(secure + "service", base);
    labels.put(secure + "tls", "true");
    labels.put(secure + "tls.certresolver", resolver);
    List<TraefikRule.TlsDomain> tlsDomains = TraefikRule.tlsDomains(domain);
    for (int i = 0; i < tlsDomains.size(); i++) {
      TraefikRule.TlsDomain tls = tlsDomains.get(i);
      labels.put(secure + "tls.domains[" + i + "].main", tls.main());
      if (!tls.sans().isEmpty()) {
        labels.put(secure + "tls.domains[" + i + "].sans", String.join(",", tls.sans()));
      }
    }
    String http = "traefik.http.routers." + router + "-http.";
    labels.put(http + "rule", rule);
    labels.put(http + "priority", priority);
    labels.put(http + "entrypoints", ENTRYPOINT_HTTP);
    labels.put(http + "service", base);
    labels.put(http + "middlewares", base + "-https");
  }

  /** Validates a resolver name so it cannot inject label or YAML syntax. */
  static String certResolver(String certResolver) {
    if (!RESOLVER.matcher(certResolver).matches()) {
      throw new IllegalArgumentException(
          "certResolver: must be 1-64 characters of letters, digits, '_' or '-', was '"
              + certResolver
              + "'");
    }
    return certResolver;
  }
}
