package dev.syntra.runtime.docker.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.ResourceLimits;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployHistoryTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");
  private static final ServiceRef API = new ServiceRef("k3x9a2", "shop", "api");

  @TempDir Path stateDir;

  private final StepClock clock = new StepClock(Instant.parse("2026-11-26T10:00:00Z"));

  private DeployHistory history() {
    return new DeployHistory(stateDir, clock);
  }

  private static DeploySpec spec(ServiceRef service, String deploymentId, int version) {
    return DeploySpec.builder(deploymentId, service, "127.0.0.1:5000/shop/web:" + version)
        .registryAuth(new RegistryAuth("127.0.0.1:5001", "syntra", "registry-pass"))
        .env("DATABASE_PASSWORD", "s3cret-" + version)
        .env("MODE", "production")
        .replicas(2)
        .port(PortMapping.tcp(8080))
        .limits(new ResourceLimits(500, 64L << 20))
        .domain("shop.example.com")
        .networkAlias("web.shop.internal")
        .healthCheck(HealthCheck.http("/health", 8080))
        .strategy(DeployStrategy.BLUE_GREEN)
        .build();
  }

  private static String digest(int version) {
    return "sha256:" + String.format("%064x", version);
  }

  @Test
  void recordsAndFindsADeploymentWithItsFullSpec() {
    DeployHistory history = history();
    DeploySpec spec = spec(WEB, "dep-1", 1);

    history.record(spec, digest(1));

    DeployHistory.Entry entry = history.find(WEB, "dep-1").orElseThrow();
    assertThat(entry.spec()).isEqualTo(spec);
    assertThat(entry.spec().env()).containsEntry("DATABASE_PASSWORD", "s3cret-1");
    assertThat(entry.imageDigest()).isEqualTo(digest(1));
    assertThat(entry.deployedAt()).isEqualTo(clock.instant().minusSeconds(1));
    assertThat(history.find(WEB, "dep-2")).isEmpty();
    assertThat(history.find(API, "dep-1")).isEmpty();
  }

  @Test
  void keepsTheLastTenDeploymentsNewestFirst() {
    DeployHistory history = history();
    for (int i = 1; i <= 13; i++) {
      history.record(spec(WEB, "dep-" + i, i), digest(i));
    }

    List<DeployHistory.Entry> entries = history.list(WEB);

    assertThat(entries).hasSize(DeployHistory.KEEP);
    assertThat(entries)
        .extracting(e -> e.spec().deploymentId())
        .containsExactlyElementsOf(
            IntStream.rangeClosed(4, 13).map(i -> 17 - i).mapToObj(i -> "dep-" + i).toList());
    assertThat(history.find(WEB, "dep-3")).isEmpty();
    assertThat(history.find(WEB, "dep-4")).isPresent();
  }

  @Test
  void survivesANewInstance() {
    history().record(spec(WEB, "dep-1", 1), digest(1));
    history().record(spec(WEB, "dep-2", 2), digest(2));

    DeployHistory reopened = new DeployHistory(stateDir);

    assertThat(reopened.list(WEB))
        .extracting(DeployHistory.Entry::imageDigest)
        .containsExactly(digest(2), digest(1));
    assertThat(reopened.services()).containsExactly(WEB);
  }

  @Test
  void recordingTheSameDeploymentAgainReplacesIt() {
    DeployHistory history = history();
    history.record(spec(WEB, "dep-1", 1), digest(1));
    history.record(spec(WEB, "dep-2", 2), digest(2));
    history.record(spec(WEB, "dep-1", 1), digest(7));

    assertThat(history.list(WEB))
        .extracting(e -> e.spec().deploymentId())
        .containsExactly("dep-1", "dep-2");
    assertThat(history.find(WEB, "dep-1").orElseThrow().imageDigest()).isEqualTo(digest(7));
  }

  @Test
  void keepsServicesApart() {
    DeployHistory history = history();
    history.record(spec(WEB, "dep-1", 1), digest(1));
    history.record(spec(API, "dep-1", 2), digest(2));

    assertThat(history.list(WEB))
        .singleElement()
        .extracting(DeployHistory.Entry::imageDigest)
        .isEqualTo(digest(1));
    assertThat(history.list(API))
        .singleElement()
        .extracting(DeployHistory.Entry::imageDigest)
        .isEqualTo(digest(2));
    assertThat(history.services()).containsExactlyInAnyOrder(WEB, API);
    assertThat(history.list(new ServiceRef("k3x9a2", "other", "web"))).isEmpty();
  }

  @Test
  void skipsACorruptFileWithoutFailing() throws IOException {
    DeployHistory history = history();
    history.record(spec(WEB, "dep-1", 1), digest(1));
    history.record(spec(WEB, "dep-2", 2), digest(2));
    Path dir = stateDir.resolve("history/k3x9a2/shop/web");
    Files.writeString(dir.resolve(DeployHistory.fileName("dep-2")), "{\"format\":1,\"dig");
    Files.writeString(dir.resolve(DeployHistory.fileName("dep-9")), "[]");
    Files.writeString(
        dir.resolve(DeployHistory.fileName("dep-8")),
        "{\"format\":1,\"digest\":\"sha256:0\",\"deployed_at\":\"2026-11-26T10:00:00Z\","
            + "\"envelope\":{\"v\":1,\"type\":\"deploy\"}}");

    assertThat(history.list(WEB)).extracting(e -> e.spec().deploymentId()).containsExactly("dep-1");
    assertThat(history.find(WEB, "dep-2")).isEmpty();

    history.record(spec(WEB, "dep-3", 3), digest(3));
    assertThat(history.list(WEB))
        .extracting(e -> e.spec().deploymentId())
        .containsExactly("dep-3", "dep-1");
  }

  @Test
  void writesFilesOnlyTheOwnerCanReadBecauseEnvValuesAreSecrets() throws IOException {
    history().record(spec(WEB, "dep-1", 1), digest(1));

    Path root = stateDir.resolve("history");
    Path file = root.resolve("k3x9a2/shop/web").resolve(DeployHistory.fileName("dep-1"));
    for (Path dir :
        List.of(
            root,
            root.resolve("k3x9a2"),
            root.resolve("k3x9a2/shop"),
            root.resolve("k3x9a2/shop/web"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .as(dir.toString())
          .isEqualTo("rwx------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(root.resolve("k3x9a2/shop/web"))) {
      assertThat(files).as("no temporary file is left").containsExactly(file);
    }
    String json = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(json).contains("\"digest\"", "\"deployed_at\"", "\"envelope\"", "\"deploy\"");
  }

  @Test
  void refusesDeploymentIdsThatCouldEscapeTheDirectory() {
    history().record(spec(WEB, "dep-1", 1), digest(1));

    assertThat(history().find(WEB, "../../etc/passwd")).isEmpty();
  }

  /** A clock that moves one second forward on every reading. */
  private static final class StepClock extends Clock {
    private Instant now;

    StepClock(Instant start) {
      this.now = start;
    }

    @Override
    public synchronized Instant instant() {
      Instant current = now;
      now = now.plus(Duration.ofSeconds(1));
      return current;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void keepsEnvValuesOnlyInTheEntriesRollbackCanTarget() throws IOException {
    DeployHistory history = history();
    for (int i = 1; i <= 4; i++) {
      history.record(spec(WEB, "dep-" + i, i), digest(i));
    }

    for (String kept : List.of("dep-4", "dep-3")) {
      DeployHistory.Entry entry = history.find(WEB, kept).orElseThrow();
      assertThat(entry.secretsRemoved()).isFalse();
      assertThat(entry.spec().env()).containsEntry("MODE", "production");
      assertThat(entry.spec().registryAuth()).isNotNull();
    }
    for (String old : List.of("dep-2", "dep-1")) {
      DeployHistory.Entry entry = history.find(WEB, old).orElseThrow();
      assertThat(entry.secretsRemoved()).isTrue();
      assertThat(entry.spec().env()).containsOnlyKeys("DATABASE_PASSWORD", "MODE");
      assertThat(entry.spec().env().values()).containsOnly("");
      assertThat(entry.spec().registryAuth()).isNull();
      assertThat(entry.imageDigest()).isEqualTo(digest(Integer.parseInt(old.substring(4))));
      Path file = stateDir.resolve("history/k3x9a2/shop/web").resolve(DeployHistory.fileName(old));
      assertThat(Files.readString(file)).doesNotContain("s3cret-").doesNotContain("registry-pass");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aDeploymentThatStillServesKeepsItsEnvHoweverOld() {
    DeployHistory history = history();
    history.record(spec(WEB, "dep-1", 1), digest(1));
    history.record(spec(WEB, "dep-2", 2), digest(2), Set.of("dep-1"));
    history.record(spec(WEB, "dep-3", 3), digest(3), Set.of("dep-1"));

    assertThat(history.find(WEB, "dep-1").orElseThrow().spec().env())
        .containsEntry("DATABASE_PASSWORD", "s3cret-1");
  }
}
