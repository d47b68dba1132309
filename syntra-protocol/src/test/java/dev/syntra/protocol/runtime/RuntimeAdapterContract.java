package dev.syntra.protocol.runtime;

import static dev.syntra.protocol.runtime.ContractStatus.assertNothingRuns;
import static dev.syntra.protocol.runtime.ContractStatus.assertOrderedPerReplica;
import static dev.syntra.protocol.runtime.ContractStatus.assertRunning;
import static dev.syntra.protocol.runtime.ContractStatus.replicaIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.syntra.protocol.runtime.RuntimeAdapterException.Conflict;
import dev.syntra.protocol.runtime.RuntimeAdapterException.DeploymentNotFound;
import dev.syntra.protocol.runtime.RuntimeAdapterException.HealthCheckFailed;
import dev.syntra.protocol.runtime.RuntimeAdapterException.ImageNotFound;
import dev.syntra.protocol.runtime.RuntimeAdapterException.ServiceNotFound;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link RuntimeAdapter} must show, written against the public contract only. A
 * runtime's test extends it, supplies the adapter and the fixtures, and runs it against the real
 * engine. Each test deploys services under its own project slug ({@code ct-<random>}) and stops
 * them afterwards; each service publishes its HTTP port on a 127.0.0.1 host port the suite picks
 * with {@link #freeHostPort()} and reaches it through {@link #get}.
 *
 * <p>Fixture images, named by {@link #image(String, String)}:
 *
 * <ul>
 *   <li>{@code httpd 1}, {@code httpd 2}: HTTP on port {@value #HTTP_PORT}, {@code GET /health}
 *       answers 200, {@code GET /version} answers {@code 1} or {@code 2}; each request is logged as
 *       one line; the image has a POSIX {@code sh} with {@code echo}, {@code yes}, {@code head},
 *       {@code sleep} and {@code kill} (busybox);
 *   <li>{@code unhealthy 1}: like {@code httpd 1} but {@code GET /health} answers 404;
 *   <li>{@code crash 1}: exits with status 3 about a second after starting;
 *   <li>{@code missing 1}: must not exist in the registry.
 * </ul>
 *
 * <p>Runtimes differ only where {@link #strategies()} and {@link #publishesHostPorts()} say so.
 * {@link RuntimeAdapter#watchEvents} may throw {@code UNSUPPORTED}; the events test then aborts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class RuntimeAdapterContract extends ContractFixture {
  Stream<DeployStrategy> supportedStrategies() {
    return strategies().stream().sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supportedStrategies")
  void deployReachesRunningThroughOrderedPhasesAndServesTheNewVersion(DeployStrategy strategy) {
    ServiceRef service = newService();
    DeploySpec v1 = spec(service, image("httpd", "1")).replicas(2).strategy(strategy).build();
    ContractListener first = new ContractListener();
    DeployResult firstResult = adapter().deploy(v1, first);
    first.assertSucceeded();
    assertThat(firstResult.deploymentId()).isEqualTo(v1.deploymentId());
    assertRunning(firstResult.status(), v1.deploymentId(), 2);
    assertThat(version(service)).isEqualTo("1");

    DeploySpec v2 = spec(service, image("httpd", "2")).replicas(2).strategy(strategy).build();
    ContractListener second = new ContractListener();
    DeployResult secondResult = adapter().deploy(v2, second);
    second.assertSucceeded();
    assertThat(secondResult.deploymentId()).isEqualTo(v2.deploymentId());
    assertThat(secondResult.status().state()).isEqualTo(ServiceStatus.State.RUNNING);
    if (strategy == DeployStrategy.CANARY) {
      assertServesBothVersions(service);
      return;
    }
    assertRunning(secondResult.status(), v2.deploymentId(), 2);
    assertRunning(adapter().status(service), v2.deploymentId(), 2);
    for (int i = 0; i < 10; i++) {
      assertThat(version(service)).as("request %d after the deploy", i).isEqualTo("2");
    }
  }

  /**
   * A canary takes a share of requests (50% here) until promoted; the rest stays on the old one.
   */
  private void assertServesBothVersions(ServiceRef service) {
    Set<String> answers = new HashSet<>();
    for (int i = 0; i < 100 && !answers.contains("2"); i++) {
      answers.add(version(service));
    }
    assertThat(answers)
        .as("versions answering during the canary")
        .contains("2")
        .isSubsetOf("1", "2");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("supportedStrategies")
  void failingHealthCheckRollsBackAndThePreviousVersionKeepsServing(DeployStrategy strategy) {
    ServiceRef service = newService();
    DeploySpec v1 = deployHttpd(service, "1", 2);
    DeploySpec bad = spec(service, image("unhealthy", "1")).replicas(2).strategy(strategy).build();
    ContractListener listener = new ContractListener();

    assertThatThrownBy(() -> adapter().deploy(bad, listener))
        .isInstanceOf(HealthCheckFailed.class)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());

    listener.assertRolledBack();
    assertRunning(adapter().status(service), v1.deploymentId(), 2);
    assertThat(version(service)).isEqualTo("1");
  }

  @Test
  void failedFirstDeployLeavesNothingRunning() {
    ServiceRef service = newService();
    DeploySpec crash = spec(service, image("crash", "1")).build();
    ContractListener listener = new ContractListener();

    assertThatThrownBy(() -> adapter().deploy(crash, listener))
        .isInstanceOf(HealthCheckFailed.class);

    listener.assertFailed();
    assertNothingRuns(adapter().status(service));
  }

  @Test
  void statusReportsDesiredAndReadyReplicasWithTheirDetails() {
    ServiceRef service = newService();
    DeploySpec spec = deployHttpd(service, "1", 2);

    ServiceStatus status = adapter().status(service);
    assertRunning(status, spec.deploymentId(), 2);
    assertThat(status.service()).isEqualTo(service);
    assertThat(status.replicas())
        .allSatisfy(replica -> {
          assertThat(replica.health()).isEqualTo(ReplicaStatus.Health.HEALTHY);
          assertThat(replica.restartCount()).isZero();
          assertThat(replica.startedAt()).isNotNull().isBefore(Instant.now().plusSeconds(60));
          assertThat(replica.imageDigest()).matches("sha256:[0-9a-f]{64}");
        });
  }

  @Test
  void statusOfAnUnknownServiceIsNotFound() {
    ServiceStatus status = adapter().status(newService());
    assertThat(status.state()).isEqualTo(ServiceStatus.State.NOT_FOUND);
    assertThat(status.replicas()).isEmpty();
    assertThat(status.deploymentId()).isNull();
  }

  @Test
  void scaleAddsHealthyReplicasRemovesSurplusOnesAndKeepsServing() {
    ServiceRef service = newService();
    DeploySpec spec = deployHttpd(service, "1", 1);

    adapter().scale(service, 3);
    assertRunning(adapter().status(service), spec.deploymentId(), 3);
    assertThat(version(service)).isEqualTo("1");

    adapter().scale(service, 1);
    assertRunning(adapter().status(service), spec.deploymentId(), 1);
    assertThat(version(service)).isEqualTo("1");

    adapter().scale(service, 0);
    ServiceStatus stopped = adapter().status(service);
    assertThat(stopped.state()).isEqualTo(ServiceStatus.State.STOPPED);
    assertThat(stopped.desiredReplicas()).isZero();
    assertThat(stopped.readyReplicas()).isZero();

    adapter().scale(service, 1);
    assertRunning(adapter().status(service), spec.deploymentId(), 1);
    assertThat(version(service)).isEqualTo("1");
  }

  @Test
  void restartRestartsEveryReplicaAndKeepsServing() {
    ServiceRef service = newService();
    DeploySpec spec = deployHttpd(service, "1", 2);
    Map<String, ReplicaStatus> before =
        adapter().status(service).replicas().stream()
            .collect(Collectors.toMap(ReplicaStatus::id, Function.identity()));

    adapter().restart(service);

    ServiceStatus after = adapter().status(service);
    assertRunning(after, spec.deploymentId(), 2);
    assertThat(after.replicas())
        .allSatisfy(replica -> {
          ReplicaStatus old = before.get(replica.id());
          if (old != null && old.startedAt() != null && replica.startedAt() != null) {
            assertThat(replica.startedAt())
                .as("restarted " + replica.id())
                .isAfter(old.startedAt());
          }
        });
    assertThat(version(service)).isEqualTo("1");
  }

  @Test
  void stopRemovesEveryReplicaAndIsIdempotent() {
    ServiceRef service = newService();
    deployHttpd(service, "1", 2);

    adapter().stop(service);

    assertNothingRuns(adapter().status(service));
    if (publishesHostPorts()) {
      assertThatThrownBy(() -> version(service)).as("nothing answers after stop");
    }
    assertThatCode(() -> adapter().stop(service)).doesNotThrowAnyException();
  }

  @Test
  void stopOfAnUnknownServiceDoesNothing() {
    assertThatCode(() -> adapter().stop(newService())).doesNotThrowAnyException();
  }

  @Test
  void operationsOnAnUnknownServiceThrowServiceNotFound() {
    ServiceRef service = newService();
    assertThatThrownBy(() -> adapter().scale(service, 2)).isInstanceOf(ServiceNotFound.class);
    assertThatThrownBy(() -> adapter().restart(service)).isInstanceOf(ServiceNotFound.class);
    assertThatThrownBy(() -> adapter().exec(service, List.of("true"), ExecOptions.DEFAULTS))
        .isInstanceOf(ServiceNotFound.class);
  }

  @Test
  void rollbackRedeploysTheImageAndEnvOfAnEarlierDeployment() {
    ServiceRef service = newService();
    DeploySpec v1 = spec(service, image("httpd", "1")).env("CONTRACT_MARK", "first").build();
    adapter().deploy(v1);
    adapter().deploy(spec(service, image("httpd", "2")).env("CONTRACT_MARK", "second").build());
    assertThat(version(service)).isEqualTo("2");
    ContractListener listener = new ContractListener();

    String rollbackId = newDeploymentId();
    DeployResult result = adapter().rollback(service, v1.deploymentId(), rollbackId, listener);

    listener.assertSucceeded();
    assertThat(result.deploymentId()).isEqualTo(rollbackId);
    assertThat(version(service)).isEqualTo("1");
    assertRunning(adapter().status(service), result.deploymentId(), 1);
    ExecResult mark =
        adapter()
            .exec(service, List.of("sh", "-c", "echo \"$CONTRACT_MARK\""), ExecOptions.DEFAULTS);
    assertThat(mark.stdout()).isEqualTo("first\n");
  }

  @Test
  void rollbackToAnUnknownDeploymentThrowsDeploymentNotFound() {
    ServiceRef service = newService();
    DeploySpec v1 = deployHttpd(service, "1", 1);

    assertThatThrownBy(() ->
            adapter()
                .rollback(service, newDeploymentId(), newDeploymentId(), new ContractListener()))
        .isInstanceOf(DeploymentNotFound.class);
    assertRunning(adapter().status(service), v1.deploymentId(), 1);
  }

  @Test
  void logsReturnTheLinesOfTheServiceTaggedWithTheirReplica() {
    ServiceRef service = newService();
    deployHttpd(service, "1", 2);
    Set<String> replicas = replicaIds(adapter().status(service));
    for (int i = 0; i < 6; i++) {
      version(service);
    }
    LogOptions all = new LogOptions(false, null, null, true, true);

    List<LogLine> lines =
        ContractAwait.until(patience(), () -> readLogs(service, all), l -> !l.isEmpty(), "logs");

    assertThat(lines)
        .allSatisfy(line -> {
          assertThat(line.replicaId()).isIn(replicas);
          assertThat(line.message()).doesNotEndWith("\n");
        });
    assertOrderedPerReplica(lines);
    assertThat(readLogs(service, new LogOptions(false, null, null, true, false)))
        .allSatisfy(line -> assertThat(line.stream()).isEqualTo(LogLine.Stream.STDOUT));
    assertThat(readLogs(service, new LogOptions(false, null, null, false, true)))
        .allSatisfy(line -> assertThat(line.stream()).isEqualTo(LogLine.Stream.STDERR));
    List<LogLine> tail = readLogs(service, new LogOptions(false, null, 1, true, true));
    assertThat(tail).isNotEmpty();
    assertThat(
            tail.stream().collect(Collectors.groupingBy(LogLine::replicaId, Collectors.counting())))
        .allSatisfy((replica, count) -> assertThat(count).as("tail 1 of " + replica).isOne());
    Instant future = Instant.now().plus(Duration.ofHours(1));
    assertThat(readLogs(service, new LogOptions(false, future, null, true, true))).isEmpty();
  }

  private List<LogLine> readLogs(ServiceRef service, LogOptions options) {
    List<LogLine> lines = new CopyOnWriteArrayList<>();
    try (LogSubscription subscription = adapter().logs(service, options, lines::add)) {
      assertThat(subscription.awaitCompletion(patience())).as("a non-follow read ends").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while reading logs", e);
    }
    return List.copyOf(lines);
  }

  @Test
  void execReturnsTheExitCodeAndKeepsStdoutAndStderrApart() {
    ServiceRef service = newService();
    deployHttpd(service, "1", 2);
    List<String> command = List.of("sh", "-c", "echo out; echo err >&2; exit 7");

    for (Integer replica : new Integer[] {null, 1}) {
      ExecResult result =
          adapter().exec(service, command, new ExecOptions(Duration.ofSeconds(30), 1024, replica));
      assertThat(result.exitCode()).isEqualTo(7);
      assertThat(result.stdout()).isEqualTo("out\n");
      assertThat(result.stderr()).isEqualTo("err\n");
      assertThat(result.truncated()).isFalse();
      assertThat(result.timedOut()).isFalse();
    }
  }

  @Test
  void execKeepsAtMostTheConfiguredOutput() {
    ServiceRef service = newService();
    deployHttpd(service, "1", 1);

    ExecResult result =
        adapter()
            .exec(
                service,
                List.of("sh", "-c", "yes contract | head -c 200000"),
                new ExecOptions(Duration.ofSeconds(30), 1000, null));

    assertThat(result.exitCode()).isZero();
    assertThat(result.truncated()).isTrue();
    assertThat(result.stdout().getBytes(StandardCharsets.UTF_8).length).isBetween(9, 1000);
    assertThat(result.stdout()).startsWith("contract\ncontract\n");
  }

  @Test
  void execKillsACommandThatOutlivesItsTimeout() {
    ServiceRef service = newService();
    deployHttpd(service, "1", 1);

    ExecResult result =
        adapter()
            .exec(
                service,
                List.of("sleep", "120"),
                new ExecOptions(Duration.ofSeconds(1), 1024, null));

    assertThat(result.timedOut()).isTrue();
    assertThat(result.exitCode()).isEqualTo(-1);
    assertThat(result.duration()).isLessThan(Duration.ofSeconds(60));
    assertThat(version(service)).isEqualTo("1");
  }

  @Test
  void metricsReturnOneSamplePerReplica() {
    ServiceRef service = newService();
    deployHttpd(service, "1", 2);
    Set<String> replicas = replicaIds(adapter().status(service));

    List<ContainerMetrics> samples = adapter().metrics(service);

    assertThat(samples)
        .extracting(ContainerMetrics::replicaId)
        .containsExactlyInAnyOrderElementsOf(replicas);
    assertThat(samples)
        .allSatisfy(sample -> {
          assertThat(sample.memoryUsageBytes()).isPositive();
          assertThat(sample.pids()).isPositive();
        });
  }

  @Test
  void missingImageFailsWithImageNotFoundAndThePreviousVersionKeepsServing() {
    ServiceRef service = newService();
    DeploySpec v1 = deployHttpd(service, "1", 1);
    String missing = image("missing", "1");

    assertThatThrownBy(() -> adapter().deploy(spec(service, missing).build()))
        .isInstanceOf(ImageNotFound.class)
        .hasMessageContaining(missing);

    assertRunning(adapter().status(service), v1.deploymentId(), 1);
    assertThat(version(service)).isEqualTo("1");

    ServiceRef fresh = newService();
    assertThatThrownBy(() -> adapter().deploy(spec(fresh, missing).build()))
        .isInstanceOf(ImageNotFound.class);
    assertNothingRuns(adapter().status(fresh));
  }

  @Test
  void invalidArgumentsFailWithInvalidSpec() {
    ServiceRef service = newService();
    deployHttpd(service, "1", 1);

    assertInvalid(() -> adapter().scale(service, -1));
    assertInvalid(() -> adapter().scale(service, 1001));
    assertInvalid(() -> adapter().exec(service, List.of(), ExecOptions.DEFAULTS));
  }

  private static void assertInvalid(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(RuntimeAdapterException.class)
        .extracting(e -> ((RuntimeAdapterException) e).code())
        .isEqualTo(RuntimeErrorCode.INVALID_SPEC);
  }

  @Test
  void publishingATakenHostPortFailsWithConflictAndLeavesNothingBehind() throws IOException {
    assumeThat(publishesHostPorts()).as("the runtime binds published host ports").isTrue();
    ServiceRef service = newService();
    int port = hostPort(service);

    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      assertThatThrownBy(() -> adapter().deploy(spec(service, image("httpd", "1")).build()))
          .isInstanceOf(Conflict.class)
          .hasMessageContaining(Integer.toString(port));
    }
    assertNothingRuns(adapter().status(service));
  }

  @Test
  void watchEventsReportsAReplicaThatExitsUnexpectedly() throws Exception {
    List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
    AutoCloseable watch;
    try {
      watch = adapter().watchEvents(events::add);
    } catch (RuntimeAdapterException e) {
      assertThat(e.code()).isEqualTo(RuntimeErrorCode.UNSUPPORTED);
      assumeThat(false).as(adapter().runtimeName() + " does not report runtime events").isTrue();
      return;
    }
    try (watch) {
      ServiceRef service = newService();
      deployHttpd(service, "1", 1);
      Set<String> replicas = replicaIds(adapter().status(service));
      killEveryProcessButInit(service);

      Collection<RuntimeEvent> exits =
          ContractAwait.until(
              patience(),
              () -> events.stream().filter(e -> service.equals(e.service())).toList(),
              seen -> seen.stream().anyMatch(e -> e.kind() == RuntimeEvent.Kind.UNEXPECTED_EXIT),
              "an unexpected-exit event of " + service);
      assertThat(exits)
          .filteredOn(e -> e.kind() == RuntimeEvent.Kind.UNEXPECTED_EXIT)
          .allSatisfy(e -> {
            assertThat(e.replicaId()).isIn(replicas);
            assertThat(e.message()).isNotBlank();
          });
    }
  }

  /** Ends the fixture's server from inside; the exec itself may fail as the replica goes down. */
  private void killEveryProcessButInit(ServiceRef service) {
    try {
      adapter()
          .exec(
              service,
              List.of("sh", "-c", "kill -9 -1"),
              new ExecOptions(Duration.ofSeconds(5), 1024, null));
    } catch (RuntimeAdapterException expected) {
      // the replica may vanish while the exec session is open
    }
  }
}
