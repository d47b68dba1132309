package dev.syntra.runtime.docker.internal.traefik;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weighted canary routing for services with domains, as Traefik v3 file-provider dynamic
 * configuration: one file {@code <dir>/<b>.yml} per service ({@code b} = the base name of {@link
 * TraefikLabels}) while its canary runs. (Published host ports get their canary weights from the
 * in-process proxy instead.)
 *
 * <h2>How it routes, and what the adapter must do</h2>
 *
 * Docker labels of a running container cannot change, so no label is ever switched: every replica,
 * stable or canary, carries exactly {@link TraefikLabels#forService(DeploySpec)}, and the label
 * routers {@code r-secure} (one per domain, see {@link TraefikLabels}) keep existing throughout.
 * The file written here adds, next to it:
 *
 * <ul>
 *   <li>per domain, router {@code r-canary-secure} ({@code r} = the domain's label router prefix)
 *       on {@value TraefikLabels#ENTRYPOINT_HTTPS} with <em>the same rule, certificate resolver and
 *       TLS domain</em> as the label router {@code r-secure} and its priority plus one (21 for a
 *       host name, 11 for a wildcard), so while the file exists every HTTPS request for the domain
 *       takes this router, and a canary wildcard still never outranks another service's exact host
 *       (20);
 *   <li>service {@code b-weighted}: {@code weighted.services} = {@code b-stable} with weight {@code
 *       100 - w} and {@code b-canary} with weight {@code w} (a side with weight 0 is left out);
 *   <li>services {@code b-stable} and {@code b-canary}: load balancers whose servers are the given
 *       URLs ({@code http://<container-name>:<port>}, resolved by Traefik on the {@code syntra}
 *       network), with the spec's HTTP health check if it has one.
 * </ul>
 *
 * Plain HTTP keeps being redirected to HTTPS by the label routers {@code r-http}. {@link
 * #remove(ServiceRef)} deletes the file and the label router, which balances over every replica
 * carrying the labels, serves again. The adapter therefore:
 *
 * <ol>
 *   <li><b>start</b>: starts and health-gates the canary replicas (labels from {@code
 *       TraefikLabels.forService(canarySpec)}), then calls {@code write(canarySpec, stableUrls,
 *       canaryUrls, w)};
 *   <li><b>re-weight</b>: calls {@code write} again (the file is replaced atomically);
 *   <li><b>promote</b>: starts and health-gates the remaining new replicas, calls {@code
 *       write(spec, List.of(), newUrls, 100)}, waits for Traefik to reload, stops the old replicas,
 *       then calls {@code remove(service)};
 *   <li><b>abort</b>: calls {@code write(spec, stableUrls, List.of(), 0)}, waits for Traefik to
 *       reload, removes the canary replicas, then calls {@code remove(service)}.
 * </ol>
 *
 * Traefik watches the directory and reloads on change, after its {@code providersThrottleDuration}
 * (default 2 s): wait at least that long after a write before stopping replicas the previous file
 * still sends traffic to. Stable and canary specs should share domains, first port and health
 * check; otherwise their labels define the same router differently and Traefik disables it until
 * one set is gone.
 *
 * <h2>Files</h2>
 *
 * The YAML is produced by hand with every string double-quoted and escaped. Each write goes to a
 * temporary file in the same directory whose name ends in {@code .tmp} (the file provider only
 * reads {@code .yml}, {@code .yaml} and {@code .toml}), is forced to disk, made world-readable
 * ({@code 0644}) and atomically renamed over the target, so Traefik never reads half a file. The
 * file provider renders files as Go templates, so the output never contains <code>{{</code>: every
 * value is checked against a strict character set first.
 *
 * <p>Thread-safe: concurrent writes for one service each replace the file atomically and the last
 * rename wins; the adapter serialises operations per service anyway. I/O failures are thrown as
 * {@link UncheckedIOException} naming the file.
 */
public final class CanaryRouting {
  private static final Logger log = LoggerFactory.getLogger(CanaryRouting.class);
  private static final Pattern URL =
      Pattern.compile("https?://[A-Za-z0-9][A-Za-z0-9_.-]{0,252}(:[0-9]{1,5})?");

  private final Path dir;
  private final String certResolver;
  private final Duration reloadDelay;

  /** Routing files in {@code dynamicConfigDir} (created on first write), default resolver. */
  public CanaryRouting(Path dynamicConfigDir) {
    this(dynamicConfigDir, TraefikLabels.DEFAULT_CERT_RESOLVER, Duration.ZERO);
  }

  /**
   * Routing files in {@code dynamicConfigDir} using {@code certResolver}, which must be the one the
   * service's labels use, waiting {@code reloadDelay} in {@link #awaitReload()}.
   */
  public CanaryRouting(Path dynamicConfigDir, String certResolver, Duration reloadDelay) {
    this.dir = dynamicConfigDir;
    this.certResolver = TraefikLabels.certResolver(certResolver);
    this.reloadDelay = reloadDelay;
  }

  /**
   * Waits for Traefik to pick up the last write (its {@code providersThrottleDuration}) before
   * replicas the previous file still routes to are stopped.
   */
  public void awaitReload() throws InterruptedException {
    if (reloadDelay.isPositive()) {
      Thread.sleep(reloadDelay);
    }
  }

  /** The file holding the canary routing of {@code service}. */
  public Path fileFor(ServiceRef service) {
    return dir.resolve(TraefikRule.baseName(service) + ".yml");
  }

  /**
   * Writes (or atomically replaces) the canary routing of {@code spec.service()}.
   *
   * @param spec the canary's spec: its domains, first port and health check are used
   * @param stableUrls servers of the stable version; may be empty only when the weight is 100
   * @param canaryUrls servers of the canary; may be empty only when the weight is 0
   * @param canaryWeightPercent share of requests for the canary, 0 to 100
   * @throws IllegalArgumentException if the spec has no domains, the weight is out of range, a side
   *     with weight is empty or a URL is not {@code http(s)://host[:port]}
   * @throws UncheckedIOException if the file cannot be written
   */
  public void write(
      DeploySpec spec, List<String> stableUrls, List<String> canaryUrls, int canaryWeightPercent) {
    String yaml = render(spec, stableUrls, canaryUrls, canaryWeightPercent);
    Path target = fileFor(spec.service());
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try {
        writeFully(temp, yaml.getBytes(StandardCharsets.UTF_8));
        makeReadable(temp);
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new UncheckedIOException("cannot replace " + target + " atomically", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write canary routing " + target + ": " + e, e);
    }
    log.debug(
        "canary routing of {} written to {}: {}% to the canary",
        spec.service(), target, canaryWeightPercent);
  }

  /**
   * Deletes the canary routing of {@code service}; a no-op when there is none.
   *
   * @throws UncheckedIOException if the file exists but cannot be deleted
   */
  public void remove(ServiceRef service) {
    Path target = fileFor(service);
    try {
      if (Files.deleteIfExists(target)) {
        log.debug("canary routing of {} removed ({})", service, target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete canary routing " + target + ": " + e, e);
    }
  }

  /** The YAML {@link #write} stores. */
  String render(
      DeploySpec spec, List<String> stableUrls, List<String> canaryUrls, int canaryWeightPercent) {
    if (spec.domains().isEmpty()) {
      throw new IllegalArgumentException(
          "spec: canary routing through Traefik needs at least one domain ("
              + spec.service()
              + ")");
    }
    if (canaryWeightPercent < 0 || canaryWeightPercent > 100) {
      throw new IllegalArgumentException(
          "canaryWeightPercent: must be between 0 and 100, was " + canaryWeightPercent);
    }
    int stableWeight = 100 - canaryWeightPercent;
    checkUrls("stableUrls", stableUrls, stableWeight);
    checkUrls("canaryUrls", canaryUrls, canaryWeightPercent);
    List<String> domains = TraefikRule.domains(spec.domains());
    String base = TraefikRule.baseName(spec.service());
    HealthCheck check = spec.healthCheck();
    String healthPath = TraefikRule.healthPath(check);

    TraefikYaml yaml = new TraefikYaml();
    yaml.comment(
        "Managed by Syntra: canary routing of "
            + spec.service()
            + " ("
            + canaryWeightPercent
            + "% to deployment "
            + spec.deploymentId()
            + "). Replaced atomically; do not edit.");
    yaml.key(0, "http");
    yaml.key(1, "routers");
    for (String domain : domains) {
      router(yaml, TraefikRule.routerName(spec.service(), domain), domain, base);
    }

    yaml.key(1, "services");
    yaml.key(2, TraefikYaml.quote(base + "-weighted"));
    yaml.key(3, "weighted");
    yaml.key(4, "services");
    if (stableWeight > 0) {
      yaml.itemEntry(5, "name", TraefikYaml.quote(base + "-stable"));
      yaml.entry(6, "weight", Integer.toString(stableWeight));
    }
    if (canaryWeightPercent > 0) {
      yaml.itemEntry(5, "name", TraefikYaml.quote(base + "-canary"));
      yaml.entry(6, "weight", Integer.toString(canaryWeightPercent));
    }
    int port = spec.ports().get(0).containerPort();
    if (stableWeight > 0) {
      loadBalancer(yaml, base + "-stable", stableUrls, port, check, healthPath);
    }
    if (canaryWeightPercent > 0) {
      loadBalancer(yaml, base + "-canary", canaryUrls, port, check, healthPath);
    }
    String text = yaml.toString();
    if (text.contains("{{")) {
      throw new IllegalArgumentException("spec: values must not contain '{{' (Go template syntax)");
    }
    return text;
  }

  /**
   * The canary router of one domain: its label router's rule and TLS, one step above its label
   * router's priority and below the next band (a canary wildcard never outranks an exact host).
   */
  private void router(TraefikYaml yaml, String router, String domain, String base) {
    yaml.key(2, TraefikYaml.quote(router + "-canary-secure"));
    yaml.entry(3, "rule", TraefikYaml.quote(TraefikRule.matcher(domain)));
    yaml.key(3, "entryPoints");
    yaml.item(4, TraefikYaml.quote(TraefikLabels.ENTRYPOINT_HTTPS));
    yaml.entry(
        3, "priority", Integer.toString(TraefikRule.priority(domain) + TraefikRule.CANARY_BONUS));
    yaml.entry(3, "service", TraefikYaml.quote(base + "-weighted"));
    yaml.key(3, "tls");
    yaml.entry(4, "certResolver", TraefikYaml.quote(certResolver));
    List<TraefikRule.TlsDomain> tlsDomains = TraefikRule.tlsDomains(domain);
    if (!tlsDomains.isEmpty()) {
      yaml.key(4, "domains");
      for (TraefikRule.TlsDomain tls : tlsDomains) {
        yaml.itemEntry(5, "main", TraefikYaml.quote(tls.main()));
        if (!tls.sans().isEmpty()) {
          yaml.key(6, "sans");
          tls.sans().forEach(san -> yaml.item(7, TraefikYaml.quote(san)));
        }
      }
    }
  }

  private static void loadBalancer(
      TraefikYaml yaml,
      String name,
      List<String> urls,
      int port,
      @Nullable HealthCheck check,
      @Nullable String healthPath) {
    yaml.key(2, TraefikYaml.quote(name));
    yaml.key(3, "loadBalancer");
    yaml.key(4, "servers");
    urls.forEach(url -> yaml.itemEntry(5, "url", TraefikYaml.quote(url)));
    if (check != null && healthPath != null) {
      yaml.key(4, "healthCheck");
      yaml.entry(5, "path", TraefikYaml.quote(healthPath));
      yaml.entry(5, "interval", TraefikYaml.quote(TraefikRule.duration(check.interval())));
      yaml.entry(5, "timeout", TraefikYaml.quote(TraefikRule.duration(check.timeout())));
      if (check.port() != port) {
        yaml.entry(5, "port", Integer.toString(check.port()));
      }
    }
  }

  private static void checkUrls(String field, List<String> urls, int weight) {
    if (weight > 0 && urls.isEmpty()) {
      throw new IllegalArgumentException(
          field + ": must not be empty while it gets " + weight + "% of the requests");
    }
    for (int i = 0; i < urls.size(); i++) {
      if (!URL.matcher(urls.get(i)).matches()) {
        throw new IllegalArgumentException(
            field + "[" + i + "]: '" + urls.get(i) + "' is not http(s)://host[:port]");
      }
    }
  }

  private static void writeFully(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }

  /** Temp files are created 0600; Traefik may run as another user. Routes are not secret. */
  private static void makeReadable(Path file) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix != null) {
      posix.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
    }
  }
}
