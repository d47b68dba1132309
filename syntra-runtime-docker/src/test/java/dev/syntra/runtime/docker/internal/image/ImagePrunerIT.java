package dev.syntra.runtime.docker.internal.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.docker.DockerAvailable;
import dev.syntra.runtime.docker.ExecTestDocker;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(DockerAvailable.class)
class ImagePrunerIT {
  @TempDir Path stateDir;

  private ExecTestDocker env;
  private String repository;
  private String otherRepository;
  private final List<String> imageIds = new ArrayList<>();

  @BeforeEach
  void setUp() {
    env = new ExecTestDocker();
    repository = "127.0.0.1:5000/" + env.service.project() + "/app";
    otherRepository = "127.0.0.1:5000/" + env.service.project() + "/other";
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      env.removeContainers();
      removeTestImages();
    } finally {
      env.close();
    }
  }

  /** A distinct local image (a commit of a never-started container) tagged {@code repo:tag}. */
  private String image(String repo, String tag) {
    String container =
        env.docker
            .createContainerCmd(ExecTestDocker.HTTPD)
            .withEnv("BUILD=" + repo + ":" + tag)
            .exec()
            .getId();
    try {
      String id = env.docker.commitCmd(container).withRepository(repo).withTag(tag).exec();
      imageIds.add(id);
      return id;
    } finally {
      env.docker.removeContainerCmd(container).exec();
    }
  }

  private boolean exists(String reference) {
    try {
      env.docker.inspectImageCmd(reference).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private static Clock at(int second) {
    return Clock.fixed(Instant.parse("2026-11-26T10:00:00Z").plusSeconds(second), ZoneOffset.UTC);
  }

  private void record(ServiceRef service, int n, String digest) {
    DeploySpec spec = DeploySpec.builder("dep-" + n, service, repository + ":" + n).build();
    new DeployHistory(stateDir, at(n)).record(spec, digest);
  }

  @Test
  void keepsTheLastTenDeploymentsAndEverythingInUseAndRemovesOnlyThisServicesOlderImages()
      throws Exception {
    ServiceRef service = env.service;
    String unrecorded = image(repository, "0");
    String inUse = image(repository, "1");
    String old = image(repository, "2");
    env.docker.tagImageCmd(old, otherRepository, "shared").exec();
    String foreign = image(otherRepository, "1");
    List<String> recent = new ArrayList<>();
    for (int n = 3; n <= 12; n++) {
      recent.add(image(repository, Integer.toString(n)));
    }
    env.create(repository + ":1", List.of(), h -> {});

    // The newest is pushed, so its history digest is a repo (manifest) digest, not the image id.
    env.docker
        .pushImageCmd(repository)
        .withTag("12")
        .exec(new ResultCallback.Adapter<PushResponseItem>())
        .awaitCompletion(60, TimeUnit.SECONDS);
    String repoDigest = env.docker.inspectImageCmd(recent.get(9)).exec().getRepoDigests().get(0);
    for (int n = 1; n <= 11; n++) {
      record(service, n, n == 1 ? inUse : n == 2 ? old : recent.get(n - 3));
    }
    record(service, 12, repoDigest.substring(repoDigest.indexOf('@') + 1));
    DeployHistory history = new DeployHistory(stateDir);
    assertThat(history.list(service)).hasSize(10);

    ImagePruner pruner = new ImagePruner(env.docker, history);
    pruner.prune(service);

    assertThat(exists(repository + ":0")).as("older image never recorded").isFalse();
    assertThat(exists(unrecorded)).isFalse();
    assertThat(exists(repository + ":2")).as("tag of a deployment beyond the last ten").isFalse();
    assertThat(exists(old)).as("image still tagged for another repository").isTrue();
    assertThat(exists(otherRepository + ":shared")).isTrue();
    assertThat(exists(repository + ":1")).as("used by a container").isTrue();
    assertThat(exists(foreign)).as("another repository").isTrue();
    for (int n = 3; n <= 12; n++) {
      assertThat(exists(repository + ":" + n)).as("deployment %d", n).isTrue();
    }
    assertThat(pruner.failureCount()).isZero();
    assertThat(pruner.removedCount()).isEqualTo(2);
  }

  @Test
  void neverRemovesImagesRecordedByAnotherService() {
    ServiceRef service = env.service;
    ServiceRef neighbour = new ServiceRef(service.organization(), service.project(), "neighbour");
    String shared = image(repository, "1");
    for (int n = 2; n <= 12; n++) {
      record(service, n, image(repository, Integer.toString(n)));
    }
    DeploySpec neighbourSpec = DeploySpec.builder("n-1", neighbour, repository + ":1").build();
    new DeployHistory(stateDir, at(100)).record(neighbourSpec, shared);

    new ImagePruner(env.docker, new DeployHistory(stateDir)).prune(service);

    assertThat(exists(repository + ":1")).isTrue();
    assertThat(exists(repository + ":2")).isFalse();
  }

  @Test
  void neverThrowsWhenTheDaemonFails() throws Exception {
    record(env.service, 1, "sha256:" + "0".repeat(64));
    try (DockerClient down = ExecTestDocker.client(URI.create("tcp://127.0.0.1:1"))) {
      ImagePruner pruner = new ImagePruner(down, new DeployHistory(stateDir));

      pruner.prune(env.service);

      assertThat(pruner.failureCount()).isEqualTo(1);
      assertThat(pruner.removedCount()).isZero();
    }
  }

  private void removeTestImages() {
    for (Image image : env.docker.listImagesCmd().exec()) {
      List<String> refs = new ArrayList<>();
      Stream.of(image.getRepoTags(), image.getRepoDigests())
          .filter(a -> a != null)
          .forEach(a -> refs.addAll(List.of(a)));
      String prefix = "127.0.0.1:5000/" + env.service.project() + "/";
      boolean ours = refs.stream().anyMatch(r -> r.startsWith(prefix));
      if (ours || imageIds.contains(image.getId())) {
        try {
          env.docker.removeImageCmd(image.getId()).withForce(true).exec();
        } catch (NotFoundException e) {
          // Gone already.
        }
      }
    }
  }
}
