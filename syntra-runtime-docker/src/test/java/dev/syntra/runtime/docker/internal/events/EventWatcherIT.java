package dev.syntra.runtime.docker.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import dev.syntra.protocol.runtime.ContractEngine;
import dev.syntra.protocol.runtime.RuntimeEvent;
import dev.syntra.runtime.docker.DockerAvailable;
import dev.syntra.runtime.docker.ExecTestDocker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DockerAvailable.class)
class EventWatcherIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long OOM_LIMIT = 6L << 20;

  private ExecTestDocker env;
  private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
  private final Set<String> threads = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void setUp() {
    env = new ExecTestDocker();
  }

  @AfterEach
  void tearDown() throws Exception {
    env.close();
  }

  /** Collects the events of this test's project only (other tests run containers too). */
  private void collect(RuntimeEvent event) {
    threads.add(Thread.currentThread().getName());
    if (event.service() != null && event.service().equals(env.service)) {
      events.add(event);
    }
  }

  private List<RuntimeEvent> eventsOf(String replicaId) {
    return events.stream().filter(e -> e.replicaId().equals(replicaId)).toList();
  }

  private RuntimeEvent awaitEvent(String replicaId, RuntimeEvent.Kind kind) {
    await().atMost(WAIT).until(() -> eventsOf(replicaId).stream().anyMatch(e -> e.kind() == kind));
    return eventsOf(replicaId).stream().filter(e -> e.kind() == kind).findFirst().orElseThrow();
  }

  /** Runs crash:1 (exits with 3 after a second) and waits for its alert, as a marker. */
  private String crashAndAwaitAlert() {
    String id = env.run(ExecTestDocker.CRASH, List.of(), h -> {});
    awaitEvent(env.name(id), RuntimeEvent.Kind.UNEXPECTED_EXIT);
    return id;
  }

  @Test
  void reportsAnUnexpectedExitWithItsExitCodeOnANamedThread() throws Exception {
    try (AutoCloseable watch =
        new EventWatcher(env.docker, Clock.systemUTC()).watch(this::collect)) {
      String id = env.run(ExecTestDocker.CRASH, List.of(), h -> {});

      RuntimeEvent event = awaitEvent(env.name(id), RuntimeEvent.Kind.UNEXPECTED_EXIT);

      assertThat(event.service()).isEqualTo(env.service);
      assertThat(event.details()).containsEntry("exit_code", "3").containsEntry("container_id", id);
      assertThat(event.message()).contains("status 3");
      assertThat(threads).allMatch(t -> t.startsWith("syntra-docker-events-"));
    }
  }

  @Test
  void aRequestedStopIsNotAnAlert() throws Exception {
    try (AutoCloseable watch =
        new EventWatcher(env.docker, Clock.systemUTC()).watch(this::collect)) {
      String stopped = env.run(ExecTestDocker.HTTPD, List.of(), h -> {});
      String killed = env.run(ExecTestDocker.HTTPD, List.of(), h -> {});
      env.docker.stopContainerCmd(stopped).withTimeout(5).exec();
      env.docker.killContainerCmd(killed).exec();

      crashAndAwaitAlert();

      assertThat(eventsOf(env.name(stopped))).isEmpty();
      assertThat(eventsOf(env.name(killed))).isEmpty();
    }
  }

  @Test
  void reportsAnOomKillOnceWithoutASecondExitAlert() throws Exception {
    try (AutoCloseable watch =
        new EventWatcher(env.docker, Clock.systemUTC()).watch(this::collect)) {
      String id =
          env.run(
              ExecTestDocker.HTTPD,
              List.of("sh", "-c", "head -c 100000000 /dev/zero | tail"),
              h -> h.withMemory(OOM_LIMIT).withMemorySwap(OOM_LIMIT));

      RuntimeEvent oom = awaitEvent(env.name(id), RuntimeEvent.Kind.OOM_KILLED);
      assertThat(env.awaitExit(id)).isEqualTo(137);
      crashAndAwaitAlert();

      assertThat(oom.service()).isEqualTo(env.service);
      assertThat(oom.message()).contains("out of memory");
      assertThat(eventsOf(env.name(id)))
          .extracting(RuntimeEvent::kind)
          .containsExactly(RuntimeEvent.Kind.OOM_KILLED);
    }
  }

  @Test
  void survivesADaemonConnectionLossAndReplaysWhatHappenedMeanwhile() throws Exception {
    URI daemon = DockerAvailable.dockerHost();
    ContractEngine.require(
        "unix".equals(daemon.getScheme()),
        "the connection-loss test proxies a unix socket; DOCKER_HOST is " + daemon);
    try (EventTestProxy proxy = new EventTestProxy(Path.of(daemon.getPath()));
        DockerClient viaProxy = ExecTestDocker.client(proxy.uri())) {
      EventWatcher watcher =
          new EventWatcher(
              viaProxy, Clock.systemUTC(), Duration.ofMillis(200), Duration.ofSeconds(2));
      try (EventSubscription watch = watcher.start(this::collect)) {
        crashAndAwaitAlert();

        proxy.stop();
        String whileDown = env.run(ExecTestDocker.CRASH, List.of(), h -> {});
        assertThat(env.awaitExit(whileDown)).isEqualTo(3);
        await().atMost(WAIT).until(() -> watch.reconnectCount() >= 2);
        assertThat(eventsOf(env.name(whileDown))).isEmpty();
        proxy.start();

        awaitEvent(env.name(whileDown), RuntimeEvent.Kind.UNEXPECTED_EXIT);
        crashAndAwaitAlert();
        assertThat(events).extracting(RuntimeEvent::replicaId).doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void resumesAfterTheStreamIsDroppedWithoutDuplicates() throws Exception {
    EventWatcher watcher =
        new EventWatcher(
            env.docker, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofSeconds(1));
    try (EventSubscription watch = watcher.start(this::collect)) {
      crashAndAwaitAlert();
      watch.dropConnection();
      crashAndAwaitAlert();
      watch.dropConnection();
      crashAndAwaitAlert();

      assertThat(watch.reconnectCount()).isGreaterThanOrEqualTo(2);
      assertThat(events).hasSize(3);
      assertThat(events).extracting(RuntimeEvent::replicaId).doesNotHaveDuplicates();
    }
  }

  @Test
  void aFailingSinkDoesNotStopTheWatchAndCloseIsIdempotent() throws Exception {
    EventWatcher watcher = new EventWatcher(env.docker, Clock.systemUTC());
    EventSubscription watch =
        watcher.start(event -> {
          collect(event);
          throw new IllegalStateException("sink broken");
        });

    crashAndAwaitAlert();
    crashAndAwaitAlert();
    assertThat(watch.sinkFailureCount()).isGreaterThanOrEqualTo(2);

    watch.close();
    watch.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !watch.running());
  }
}
