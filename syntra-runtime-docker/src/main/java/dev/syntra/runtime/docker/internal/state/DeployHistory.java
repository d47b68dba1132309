package dev.syntra.runtime.docker.internal.state;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local history of the last {@link #KEEP} deployments of each service, the source of rollbacks
 * and of which images the image pruner keeps.
 *
 * <p>One JSON file per deployment under {@code stateDir/history/<project>/<service>/}, named after
 * the deployment id (recording an id again replaces its entry). Each file holds the image digest,
 * the time and the spec wrapped in a {@code deploy} command envelope encoded with the protocol's
 * public {@link dev.syntra.protocol.json.MessageCodec} (see {@link HistoryFile}). Files are written
 * atomically (temp file, fsync, rename) with mode 0600 in directories with mode 0700, because specs
 * carry decrypted env values and registry passwords; those are kept only in the newest {@link
 * #KEEP_SECRETS} entries (and in entries of deployments that still serve), which rollback needs. A
 * file that cannot be read is skipped with a warning (once per file) and left for inspection; it
 * does not count towards the ten.
 *
 * <p>Thread-safe within one process (methods are synchronized); two processes must not share a
 * state directory.
 */
public final class DeployHistory {
  /** Deployments kept per service. */
  public static final int KEEP = 10;

  /**
   * Newest deployments per service whose env values and registry password are kept: the one that
   * serves and the one before it, the targets of a rollback. Older entries keep their env keys,
   * image, digest and settings (for pruning and history) but not the secrets; a rollback to them
   * fails ({@link #secretsRemoved}). A deployment that still serves (e.g. the stable version behind
   * a canary) keeps its secrets however old it is, because scaling it needs them.
   */
  public static final int KEEP_SECRETS = 2;

  private static final Logger log = LoggerFactory.getLogger(DeployHistory.class);
  private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final Path root;
  private final Clock clock;
  private final HistoryFile files;

  /**
   * A deployment as recorded: its spec, the digest of the image it ran, and when.
   *
   * @param secretsRemoved whether the spec's env values and registry password were removed (the
   *     entry is older than the last {@link #KEEP_SECRETS}): its env holds the keys with empty
   *     values and it cannot be deployed again from here
   */
  public record Entry(
      DeploySpec spec, String imageDigest, Instant deployedAt, boolean secretsRemoved) {

    public Entry(DeploySpec spec, String imageDigest, Instant deployedAt) {
      this(spec, imageDigest, deployedAt, false);
    }

    /** This entry with env values emptied (keys kept) and without registry credentials. */
    Entry withoutSecrets() {
      Map<String, String> keys = new LinkedHashMap<>();
      spec.env().keySet().forEach(k -> keys.put(k, ""));
      DeploySpec redacted =
          new DeploySpec(
              spec.deploymentId(),
              spec.service(),
              spec.image(),
              null,
              spec.replicas(),
              keys,
              spec.command(),
              spec.ports(),
              spec.limits(),
              spec.domains(),
              spec.networkAliases(),
              spec.healthCheck(),
              spec.strategy(),
              spec.rollout(),
              spec.autoscaling(),
              spec.security());
      return new Entry(redacted, imageDigest, deployedAt, true);
    }
  }

  /** The failure of a rollback to an entry whose secrets were removed. */
  public static RuntimeAdapterException.Conflict secretsRemoved(
      ServiceRef service, String deploymentId) {
    return new RuntimeAdapterException.Conflict(
        "cannot roll "
            + service
            + " back to "
            + deploymentId
            + ": only the last "
            + KEEP_SECRETS
            + " deployments keep their env values on this agent (older ones keep only the"
            + " names); deploy that version again from the control plane instead",
        null);
  }

  public DeployHistory(Path stateDir) {
    this(stateDir, Clock.systemUTC());
  }

  public DeployHistory(Path stateDir, Clock clock) {
    this.root = stateDir.resolve("history");
    this.clock = clock;
    this.files = new HistoryFile();
  }

  /**
   * Records {@code spec} as deployed now with {@code imageDigest} and trims the service's history
   * to the newest {@link #KEEP} entries.
   *
   * @throws UncheckedIOException when the state directory cannot be written
   */
  public synchronized void record(DeploySpec spec, String imageDigest) {
    record(spec, imageDigest, Set.of());
  }

  /**
   * {@link #record(DeploySpec, String)}, then removes the secrets of entries older than the newest
   * {@link #KEEP_SECRETS}, except those of the deployments in {@code serving} (they still run and
   * may need to be scaled).
   */
  public synchronized void record(DeploySpec spec, String imageDigest, Set<String> serving) {
    Path dir = serviceDir(spec.service());
    try {
      HistoryFile.createPrivateDirectories(root, dir);
      Entry entry = new Entry(spec, imageDigest, clock.instant());
      files.write(dir, fileName(spec.deploymentId()), entry);
      trim(spec.service(), dir, serving);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not record deployment "
              + spec.deploymentId()
              + " of "
              + spec.service()
              + " under "
              + dir
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The recorded deployment {@code deploymentId} of {@code service}, if it is in the history. */
  public synchronized Optional<Entry> find(ServiceRef service, String deploymentId) {
    if (!DEPLOYMENT_ID.matcher(deploymentId).matches()) {
      return Optional.empty();
    }
    Path file = serviceDir(service).resolve(fileName(deploymentId));
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return files
        .read(file)
        .filter(e -> e.spec().deploymentId().equals(deploymentId))
        .filter(e -> e.spec().service().equals(service));
  }

  /** The service's recorded deployments, newest first; empty for an unknown service. */
  public synchronized List<Entry> list(ServiceRef service) {
    return entries(service, serviceDir(service)).stream().map(Located::entry).toList();
  }

  /** Every service with a history directory, in no particular order. */
  public synchronized List<ServiceRef> services() {
    List<ServiceRef> services = new ArrayList<>();
    for (Path organization : children(root)) {
      for (Path project : children(organization)) {
        for (Path service : children(project)) {
          try {
            services.add(
                new ServiceRef(
                    organization.getFileName().toString(),
                    project.getFileName().toString(),
                    service.getFileName().toString()));
          } catch (IllegalArgumentException e) {
            log.debug("Ignoring {}: not a service history directory", service);
          }
        }
      }
    }
    return services;
  }

  private void trim(ServiceRef service, Path dir, Set<String> serving) throws IOException {
    List<Located> entries = entries(service, dir);
    for (int i = KEEP_SECRETS; i < Math.min(KEEP, entries.size()); i++) {
      Entry old = entries.get(i).entry();
      if (!old.secretsRemoved() && !serving.contains(old.spec().deploymentId())) {
        files.write(dir, fileName(old.spec().deploymentId()), old.withoutSecrets());
        log.debug("Removed the secrets of deployment {} of {}", old.spec().deploymentId(), service);
      }
    }
    for (Located old : entries.subList(Math.min(KEEP, entries.size()), entries.size())) {
      Files.deleteIfExists(old.file());
      log.debug(
          "Dropped deployment {} of {} from the history",
          old.entry().spec().deploymentId(),
          service);
    }
    files.deleteStaleTemporaries(dir);
  }

  private List<Located> entries(ServiceRef service, Path dir) {
    List<Located> entries = new ArrayList<>();
    for (Path file : children(dir)) {
      String name = file.getFileName().toString();
      if (!name.startsWith(HistoryFile.PREFIX) || !name.endsWith(HistoryFile.SUFFIX)) {
        continue;
      }
      files
          .read(file)
          .filter(e -> e.spec().service().equals(service))
          .ifPresent(e -> entries.add(new Located(file, e)));
    }
    entries.sort(
        Comparator.comparing((Located l) -> l.entry().deployedAt())
            .thenComparing(l -> l.file().getFileName().toString())
            .reversed());
    return entries;
  }

  private static List<Path> children(Path dir) {
    List<Path> children = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return children;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(children::add);
    } catch (IOException e) {
      log.warn("Cannot list deployment history directory {}: {}", dir, e.getMessage());
    }
    return children;
  }

  private Path serviceDir(ServiceRef service) {
    return root.resolve(service.organization())
        .resolve(service.project())
        .resolve(service.service());
  }

  /** {@code deploy-<id>.json}; deployment ids are {@code [A-Za-z0-9_.:-]}, safe in file names. */
  static String fileName(String deploymentId) {
    return HistoryFile.PREFIX + deploymentId + HistoryFile.SUFFIX;
  }

  private record Located(Path file, Entry entry) {}

  @Override
  public String toString() {
    return "DeployHistory[root=" + root + ", keep=" + KEEP + "]";
  }
}
