package dev.syntra.runtime.docker.internal.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import dev.syntra.protocol.runtime.ImageReference;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import dev.syntra.runtime.docker.internal.daemon.Labels;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes local images of a service that are older than its last {@link DeployHistory#KEEP}
 * deployments.
 *
 * <p>Which images belong to a service: those of the repositories (image name without tag or digest)
 * the service deployed according to its history, and of the images its containers were created
 * from. Kept are images whose id or repo digest is the digest of one of the service's last ten
 * deployments, images recorded in any other service's history, and images used by any container at
 * all (running or not, managed or not). Of the rest, only this service's repository references
 * (tags and digests) are removed, without force: an image also tagged for another repository merely
 * loses this service's tags and stays. Images of other repositories are never touched.
 *
 * <p>A digest may be given in either form the daemon knows: the image id ({@code sha256:…} of the
 * config) or a repo digest ({@code sha256:…} of the manifest, or {@code name@sha256:…}).
 *
 * <p>Never throws: failures are logged and counted ({@link #failureCount()}). Thread-safe.
 */
public final class ImagePruner {
  private static final Logger log = LoggerFactory.getLogger(ImagePruner.class);

  private final DockerClient docker;
  private final DeployHistory history;
  private final AtomicLong removed = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public ImagePruner(DockerClient docker, DeployHistory history) {
    this.docker = docker;
    this.history = history;
  }

  /** Removes the service's images beyond its last ten deployments; never throws. */
  public void prune(ServiceRef service) {
    try {
      List<DeployHistory.Entry> own = history.list(service);
      Set<String> keep = keptDigests(service, own);
      Set<String> repositories = new HashSet<>();
      own.forEach(e -> addRepository(repositories, e.spec().image()));
      Set<String> inUse = new HashSet<>();
      for (Container c : docker.listContainersCmd().withShowAll(true).exec()) {
        if (c.getImageId() != null) {
          inUse.add(c.getImageId());
        }
        if (c.getLabels() != null && service.equals(Labels.service(c.getLabels()))) {
          addRepository(repositories, c.getImage());
        }
      }
      if (repositories.isEmpty()) {
        return;
      }
      for (Image image : docker.listImagesCmd().withShowAll(false).exec()) {
        List<String> references = references(image, repositories);
        if (!references.isEmpty() && !inUse.contains(image.getId()) && !kept(image, keep)) {
          remove(service, image, references);
        }
      }
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      log.warn("Pruning images of {} failed: {}", service, DockerErrors.daemonMessage(e));
    }
  }

  /** Digests of the service's last ten deployments and of every other service's history. */
  private Set<String> keptDigests(ServiceRef service, List<DeployHistory.Entry> own) {
    Set<String> keep = new HashSet<>();
    own.stream().limit(DeployHistory.KEEP).forEach(e -> keep.add(bareDigest(e.imageDigest())));
    for (ServiceRef other : history.services()) {
      if (!other.equals(service)) {
        history.list(other).forEach(e -> keep.add(bareDigest(e.imageDigest())));
      }
    }
    return keep;
  }

  private void remove(ServiceRef service, Image image, List<String> references) {
    for (String reference : references) {
      try {
        docker.removeImageCmd(reference).withForce(false).withNoPrune(false).exec();
        removed.incrementAndGet();
        log.info("Pruned image {} ({}) of {}", reference, image.getId(), service);
      } catch (NotFoundException e) {
        // Removing the last tag deleted the image with its digest references.
      } catch (ConflictException e) {
        log.debug(
            "Image {} of {} is in use; kept: {}",
            reference,
            service,
            DockerErrors.daemonMessage(e));
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        log.warn(
            "Could not prune image {} of {}: {}",
            reference,
            service,
            DockerErrors.daemonMessage(e));
      }
    }
  }

  /** The image's tags and repo digests that name one of {@code repositories}; tags first. */
  static List<String> references(Image image, Set<String> repositories) {
    List<String> references = new ArrayList<>();
    for (String[] group : new String[][] {image.getRepoTags(), image.getRepoDigests()}) {
      if (group == null) {
        continue;
      }
      for (String reference : group) {
        String repository = repository(reference);
        if (repository != null && repositories.contains(repository)) {
          references.add(reference);
        }
      }
    }
    return references;
  }

  /** Whether the image's id or one of its repo digests is in {@code digests}. */
  static boolean kept(Image image, Set<String> digests) {
    if (digests.contains(image.getId())) {
      return true;
    }
    if (image.getRepoDigests() != null) {
      for (String repoDigest : image.getRepoDigests()) {
        if (digests.contains(bareDigest(repoDigest))) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code sha256:…} from either {@code sha256:…} or {@code name@sha256:…}. */
  static String bareDigest(String digest) {
    int at = digest.lastIndexOf('@');
    return at < 0 ? digest : digest.substring(at + 1);
  }

  private static void addRepository(Set<String> repositories, @Nullable String image) {
    String repository = repository(image);
    if (repository != null) {
      repositories.add(repository);
    }
  }

  /** The repository name of a reference, or null for ids, {@code <none>} and invalid text. */
  static @Nullable String repository(@Nullable String reference) {
    if (reference == null || reference.startsWith("sha256:") || reference.startsWith("<none>")) {
      return null;
    }
    try {
      return ImageReference.parse(reference).name();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Image references removed so far. */
  public long removedCount() {
    return removed.get();
  }

  /** Prune runs or removals that failed. */
  public long failureCount() {
    return failures.get();
  }

  @Override
  public String toString() {
    return "ImagePruner[removed=" + removed.get() + ", failures=" + failures.get() + "]";
  }
}
