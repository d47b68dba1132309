package dev.syntra.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.Message;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;
import dev.syntra.server.Api;
import dev.syntra.server.ServerSettings;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.telemetry.StoredBatch;
import dev.syntra.server.telemetry.TelemetryBatches;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Telemetry frames through the real hub (TLS on loopback, a bare protocol client) into the real
 * database: stored once and acknowledged after the commit, duplicates, malformed frames, tenant
 * separation, and throttling when an agent's ingest queue (4 frames in tests) is full.
 */
class TelemetryFramesTest extends ServerTestSupport {
  private static final TelemetryFrameCodec CODEC = TelemetryFrameCodec.create();

  @Autowired private AgentHub hub;
  @Autowired private ServerSettings settings;
  @Autowired private TelemetryBatches batches;

  private Tenants.Member owner;

  @BeforeEach
  void setUp() {
    owner = tenants.newOrganization();
  }

  @Test
  void storesABatchOnceAcknowledgesAfterTheCommitAndAnswersResendsAsDuplicates() throws Exception {
    UUID server = newServer(owner, "frames");
    TelemetryFrame a = frame(BatchId.random(), 3, 2);
    TelemetryFrame b = frame(BatchId.random(), 1, 0);
    HelloOk ok;
    try (TestAgentLink link = connect()) {
      ok = open(link, null, token(server));
      link.sendBinary(CODEC.encode(a));
      link.sendBinary(CODEC.encode(b));
      Map<BatchId, TelemetryAck.Entry> acks = acks(link, 2);
      assertThat(acks.get(a.batchId()).status()).isEqualTo(TelemetryAck.Status.STORED);
      assertThat(acks.get(b.batchId()).status()).isEqualTo(TelemetryAck.Status.STORED);

      List<StoredBatch> stored = batches.list(owner.orgId(), 0, 10);
      assertThat(stored).extracting(StoredBatch::frame).containsExactly(a, b);
      assertThat(stored)
          .allSatisfy(s -> {
            assertThat(s.orgId()).isEqualTo(owner.orgId());
            assertThat(s.serverId()).isEqualTo(server);
          });
      assertThat(stored.get(1).cursor()).isGreaterThan(stored.get(0).cursor());
      assertThat(batches.list(owner.orgId(), stored.get(0).cursor(), 10))
          .extracting(StoredBatch::frame)
          .containsExactly(b);

      link.sendBinary(CODEC.encode(a));
      assertThat(acks(link, 1).get(a.batchId()).status()).isEqualTo(TelemetryAck.Status.DUPLICATE);
    }
    try (TestAgentLink again = connect()) {
      open(again, ok.agentId(), ok.credential());
      again.sendBinary(CODEC.encode(b)); // resent after a reconnect
      assertThat(acks(again, 1).get(b.batchId()).status()).isEqualTo(TelemetryAck.Status.DUPLICATE);
    }
    assertThat(batches.list(owner.orgId(), 0, 10)).hasSize(2);
  }

  @Test
  void refusesMalformedFramesAndRejectsTheBatchWhenItsIdIsReadable() throws Exception {
    UUID server = newServer(owner, "malformed");
    try (TestAgentLink link = connect()) {
      open(link, null, token(server));

      link.sendBinary(new byte[] {1, 2, 3});
      assertThat(link.next(ProtocolError.class).code()).isEqualTo("malformed_frame");

      TelemetryFrame corrupt = frame(BatchId.random(), 2, 1);
      byte[] bytes = CODEC.encode(corrupt);
      for (int i = 60; i < bytes.length; i++) {
        bytes[i] ^= 0x5a; // the zstd payload, not the header
      }
      link.sendBinary(bytes);
      assertThat(link.next(ProtocolError.class).code()).isEqualTo("malformed_frame");
      TelemetryAck.Entry rejected = acks(link, 1).get(corrupt.batchId());
      assertThat(rejected.status()).isEqualTo(TelemetryAck.Status.REJECTED);
      assertThat(rejected.reason()).isNotBlank();

      TelemetryFrame lying = frame(BatchId.random(), 2, 1);
      byte[] lie = CODEC.encode(lying);
      lie[27] = 9; // span_count says 9, the payload holds 2
      link.sendBinary(lie);
      assertThat(link.next(ProtocolError.class).message()).contains("counts");
      assertThat(acks(link, 1).get(lying.batchId()).status())
          .isEqualTo(TelemetryAck.Status.REJECTED);

      TelemetryFrame good = frame(BatchId.random(), 1, 1);
      link.sendBinary(CODEC.encode(good)); // the link is still open and works
      assertThat(acks(link, 1).get(good.batchId()).status()).isEqualTo(TelemetryAck.Status.STORED);
    }
    assertThat(batches.list(owner.orgId(), 0, 10)).hasSize(1);
  }

  @Test
  void aFrameBeforeTheHelloIsRefusedAndNotStored() throws Exception {
    UUID server = newServer(owner, "early");
    TelemetryFrame early = frame(BatchId.random(), 1, 0);
    TelemetryFrame later = frame(BatchId.random(), 1, 0);
    try (TestAgentLink link = connect()) {
      link.sendBinary(CODEC.encode(early));
      assertThat(link.next(ProtocolError.class).code()).isEqualTo("not_allowed");
      open(link, null, token(server));
      link.sendBinary(CODEC.encode(later));
      assertThat(acks(link, 1)).containsOnlyKeys(later.batchId());
    }
    assertThat(batches.list(owner.orgId(), 0, 10))
        .extracting(StoredBatch::frame)
        .containsExactly(later);
  }

  @Test
  void anotherOrganizationNeitherSeesNorCollidesWithABatch() throws Exception {
    Tenants.Member other = tenants.newOrganization();
    UUID mine = newServer(owner, "mine");
    UUID theirs = newServer(other, "theirs");
    TelemetryFrame frame = frame(BatchId.random(), 2, 2);
    try (TestAgentLink link = connect()) {
      open(link, null, token(mine));
      link.sendBinary(CODEC.encode(frame));
      assertThat(acks(link, 1).get(frame.batchId()).status()).isEqualTo(TelemetryAck.Status.STORED);
    }
    try (TestAgentLink link = connect()) {
      open(link, null, token(theirs));
      link.sendBinary(CODEC.encode(frame)); // the same batch id, from another organization
      assertThat(acks(link, 1).get(frame.batchId()).status()).isEqualTo(TelemetryAck.Status.STORED);
    }
    assertThat(batches.list(owner.orgId(), 0, 10))
        .singleElement()
        .satisfies(b -> assertThat(b.serverId()).isEqualTo(mine));
    assertThat(batches.list(other.orgId(), 0, 10))
        .singleElement()
        .satisfies(b -> assertThat(b.serverId()).isEqualTo(theirs));
  }

  @Test
  void throttlesWhenTheAgentsQueueIsFullAndTreatsAConcurrentCopyAsADuplicate() throws Exception {
    UUID server = newServer(owner, "throttled");
    TelemetryFrame x1 = frame(BatchId.random(), 1, 0);
    TelemetryFrame x2 = frame(BatchId.random(), 1, 0);
    // Another instance is storing x1 and x2 right now: its transaction holds their rows, so both
    // ingest threads wait on them while the agent's queue fills up.
    CountDownLatch inserted = new CountDownLatch(1);
    CountDownLatch commit = new CountDownLatch(1);
    // Its own thread: the common pool (one thread on two cores) serves the JDK's WebSocket client.
    ExecutorService thread = Executors.newSingleThreadExecutor();
    CompletableFuture<Void> otherInstance =
        CompletableFuture.runAsync(
            () ->
                tenancy.inOrg(
                    owner.orgId(),
                    null,
                    h -> {
                      for (TelemetryFrame x : List.of(x1, x2)) {
                        h.createUpdate(
                                "INSERT INTO telemetry_batches (org_id, batch_id, server_id,"
                                    + " span_count, log_record_count, metric_point_count, frame)"
                                    + " VALUES (:org, :id, :server, 1, 0, 0, :frame)")
                            .bind("org", owner.orgId())
                            .bind("id", new UUID(x.batchId().high(), x.batchId().low()))
                            .bind("server", server)
                            .bind("frame", CODEC.encode(x))
                            .execute();
                      }
                      inserted.countDown();
                      await(commit);
                      return null;
                    }),
            thread);
    TelemetryFrame refused = frame(BatchId.random(), 3, 0);
    List<TelemetryFrame> more =
        List.of(frame(BatchId.random(), 2, 0), frame(BatchId.random(), 2, 0));
    try (TestAgentLink link = connect()) {
      try {
        open(link, null, token(server));
        assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();
        // x1 waits on the other instance's row; x2 and more wait behind it (4 frames per agent).
        for (TelemetryFrame f : List.of(x1, x2, more.get(0), more.get(1), refused)) {
          link.sendBinary(CODEC.encode(f));
        }
        Throttle throttle = link.next(Throttle.class);
        assertThat(throttle.retryAfter()).isPositive();
        assertThat(throttle.reason()).contains("queue");
      } finally {
        commit.countDown();
        thread.shutdown();
      }
      otherInstance.get(10, TimeUnit.SECONDS);
      Map<BatchId, TelemetryAck.Entry> acks = acks(link, 4);
      assertThat(acks.get(x1.batchId()).status()).isEqualTo(TelemetryAck.Status.DUPLICATE);
      assertThat(acks.get(x2.batchId()).status()).isEqualTo(TelemetryAck.Status.DUPLICATE);
      assertThat(acks.get(more.get(0).batchId()).status()).isEqualTo(TelemetryAck.Status.STORED);
      assertThat(acks).doesNotContainKey(refused.batchId()); // throttled: never acknowledged

      link.sendBinary(CODEC.encode(refused)); // the agent sends it again after its pause
      assertThat(acks(link, 1).get(refused.batchId()).status())
          .isEqualTo(TelemetryAck.Status.STORED);
    }
    assertThat(batches.list(owner.orgId(), 0, 10)).hasSize(5);
  }

  @Test
  void retentionDeletesOldBatches() throws Exception {
    UUID server = newServer(owner, "retention");
    try (TestAgentLink link = connect()) {
      open(link, null, token(server));
      TelemetryFrame frame = frame(BatchId.random(), 1, 1);
      link.sendBinary(CODEC.encode(frame));
      acks(link, 1);
    }
    assertThat(batches.deleteReceivedBefore(Instant.now().minus(Duration.ofHours(1)))).isZero();
    assertThat(batches.list(owner.orgId(), 0, 10)).hasSize(1);
    assertThat(batches.deleteReceivedBefore(Instant.now().plus(Duration.ofMinutes(1))))
        .isPositive();
    assertThat(batches.list(owner.orgId(), 0, 10)).isEmpty();
  }

  // ---- helpers ----

  private final Map<UUID, String> tokens = new HashMap<>();

  private UUID newServer(Tenants.Member member, String name) {
    Api.Response created = api.as(member.token()).post("/api/v1/servers", Map.of("name", name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    UUID id = UUID.fromString(created.json().get("server").get("id").stringValue());
    tokens.put(id, created.json().get("registration_token").stringValue());
    return id;
  }

  private String token(UUID server) {
    return tokens.get(server);
  }

  private TestAgentLink connect() throws Exception {
    return TestAgentLink.connect(hub.localUrl(), settings.dataDir().resolve("hub/ca.crt"));
  }

  private static HelloOk open(TestAgentLink link, String agentId, String token) throws Exception {
    link.send(AgentHubTest.hello(agentId, token));
    HelloOk ok = link.next(HelloOk.class);
    link.send(AgentHubTest.heartbeat());
    return ok;
  }

  /** Collects telemetry_ack entries until {@code count} batches are acknowledged. */
  private static Map<BatchId, TelemetryAck.Entry> acks(TestAgentLink link, int count)
      throws InterruptedException {
    Map<BatchId, TelemetryAck.Entry> entries = new HashMap<>();
    while (entries.size() < count) {
      Envelope next = link.next();
      Message payload = next.payload();
      if (payload instanceof TelemetryAck ack) {
        ack.entries().forEach(e -> entries.put(e.batchId(), e));
      }
    }
    return entries;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static TelemetryFrame frame(BatchId id, int spans, int logs) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(new byte[16]).concat(ByteString.EMPTY))
              .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) i}))
              .setName("span-" + i));
    }
    ScopeLogs.Builder logScope = ScopeLogs.newBuilder();
    for (int i = 0; i < logs; i++) {
      logScope.addLogRecords(LogRecord.newBuilder().setSeverityText("INFO"));
    }
    return new TelemetryFrame(
        id,
        spans == 0
            ? TracesData.getDefaultInstance()
            : TracesData.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
                .build(),
        logs == 0
            ? LogsData.getDefaultInstance()
            : LogsData.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(logScope))
                .build(),
        MetricsData.getDefaultInstance());
  }
}
