package dev.syntra.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.agent.link.BackoffPolicy;
import dev.syntra.agent.link.ControlLink;
import dev.syntra.agent.link.LinkConfig;
import dev.syntra.agent.link.LinkListener;
import dev.syntra.agent.link.Session;
import dev.syntra.agent.testing.TestHub;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.AgentHello;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.HelloOk;
import dev.syntra.protocol.message.SessionSettings;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.message.Throttle;
import dev.syntra.protocol.security.ReplayGuard;
import dev.syntra.protocol.security.TokenFormat;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipper over the real link (Netty WebSocket client) against a protocol-speaking hub on
 * 127.0.0.1, with an in-memory frame queue.
 */
class FrameShipperTest {
  private static final ShipperSettings NO_JITTER =
      new ShipperSettings(32, 16L << 20, Duration.ofMinutes(5), 0, Duration.ofMinutes(1));

  private final InMemoryFrameQueue queue = new InMemoryFrameQueue();
  private final AtomicInteger ids = new AtomicInteger();
  private TestHub hub;
  private FrameShipper shipper;
  private ControlLink link;

  @BeforeEach
  void startHub() throws Exception {
    hub = TestHub.plain();
  }

  @AfterEach
  void stop() {
    if (link != null) {
      link.close();
    }
    if (shipper != null) {
      shipper.close();
    }
    hub.close();
  }

  private void connect(ShipperSettings settings) {
    shipper = new FrameShipper(queue, settings);
    LinkConfig config =
        new LinkConfig(
            hub.uri(),
            null,
            true,
            Duration.ofSeconds(30),
            Duration.ofSeconds(90),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            new BackoffPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0.2),
            Duration.ofSeconds(60),
            4 << 20);
    Clock clock = Clock.systemUTC();
    link =
        new ControlLink(
            config,
            new ShippingListener(shipper),
            MessageCodec.create(),
            new ReplayGuard(clock, ReplayGuard.DEFAULT_WINDOW, 4096),
            clock);
    link.start();
  }

  private void ack(TelemetryAck.Status status, List<byte[]> frames) {
    hub.send(
        "msg_ack" + ids.incrementAndGet(),
        new TelemetryAck(
            frames.stream()
                .map(f -> new TelemetryAck.Entry(InMemoryFrameQueue.batchIdOf(f), status, "why"))
                .toList()));
  }

  private List<BatchId> received() {
    return hub.frames.stream().map(InMemoryFrameQueue::batchIdOf).toList();
  }

  @Test
  void sendsFramesOldestFirstAndForgetsThemWhenAcknowledged() {
    List<BatchId> sealed = List.of(id(queue.seal(100)), id(queue.seal(200)), id(queue.seal(300)));
    connect(NO_JITTER);
    await().until(() -> hub.frames.size() == 3);
    assertThat(received()).containsExactlyElementsOf(sealed);
    assertThat(hub.frames.get(1)).hasSize(200);

    BatchId later = id(queue.seal(50)); // sealed while connected: goes out at once
    await().until(() -> hub.frames.size() == 4);
    assertThat(received().get(3)).isEqualTo(later);

    ack(TelemetryAck.Status.STORED, hub.frames.subList(0, 3));
    ack(TelemetryAck.Status.DUPLICATE, hub.frames.subList(3, 4));
    await().until(() -> queue.pending().isEmpty());
    ShipperStats stats = shipper.stats();
    assertThat(stats.framesSent()).isEqualTo(4);
    assertThat(stats.bytesSent()).isEqualTo(650);
    assertThat(stats.stored()).isEqualTo(3);
    assertThat(stats.duplicate()).isEqualTo(1);
    assertThat(stats.resent()).isZero();
    assertThat(stats.inFlightFrames()).isZero();
  }

  @Test
  void resendsEveryUnacknowledgedFrameAfterAReconnect() {
    for (int i = 0; i < 3; i++) {
      queue.seal(100);
    }
    connect(NO_JITTER);
    await().until(() -> hub.frames.size() == 3);
    ack(TelemetryAck.Status.STORED, hub.frames.subList(0, 1));
    await().until(() -> queue.pending().size() == 2);
    List<BatchId> unacked = queue.pending();

    hub.dropConnection();
    await().until(() -> hub.frames.size() == 5);
    assertThat(received().subList(3, 5)).containsExactlyElementsOf(unacked);
    assertThat(shipper.stats().resent()).isEqualTo(2);

    ack(TelemetryAck.Status.DUPLICATE, hub.frames.subList(3, 5));
    await().until(() -> queue.pending().isEmpty());
    assertThat(shipper.stats().duplicate()).isEqualTo(2);
  }

  @Test
  void keepsAtMostTheWindowInFlightAndSendsMoreAsAcksArrive() {
    for (int i = 0; i < 10; i++) {
      queue.seal(1000);
    }
    connect(new ShipperSettings(4, 1 << 20, Duration.ofMinutes(5), 0, Duration.ofMinutes(1)));
    await().until(() -> hub.frames.size() == 4);
    assertThat(shipper.stats().inFlightFrames()).isEqualTo(4);
    assertThat(shipper.stats().framesSent()).isEqualTo(4); // nothing more without an ack

    ack(TelemetryAck.Status.STORED, hub.frames.subList(0, 2));
    await().until(() -> hub.frames.size() == 6);
    assertThat(shipper.stats().framesSent()).isEqualTo(6);
    assertThat(received()).doesNotHaveDuplicates();
  }

  @Test
  void boundsTheBytesInFlightToo() {
    for (int i = 0; i < 6; i++) {
      queue.seal(1000);
    }
    connect(new ShipperSettings(100, 2500, Duration.ofMinutes(5), 0, Duration.ofMinutes(1)));
    await().until(() -> hub.frames.size() == 2);
    assertThat(shipper.stats().inFlightBytes()).isEqualTo(2000);
    assertThat(shipper.stats().framesSent()).isEqualTo(2);

    ack(TelemetryAck.Status.STORED, hub.frames.subList(0, 1));
    await().until(() -> hub.frames.size() == 3);
    assertThat(shipper.stats().inFlightBytes()).isEqualTo(2000);
  }

  @Test
  void pausesOnThrottleThenResendsWhatWasNotAcknowledged() {
    for (int i = 0; i < 3; i++) {
      queue.seal(100);
    }
    connect(NO_JITTER);
    await().until(() -> hub.frames.size() == 3);
    ack(TelemetryAck.Status.STORED, hub.frames.subList(0, 1));
    hub.send("msg_throttle1", new Throttle(Duration.ofMillis(1500), "ingest queue full"));
    await().until(() -> shipper.paused());
    queue.seal(100);
    queue.seal(100);
    assertThat(shipper.stats().framesSent()).isEqualTo(3); // paused: the new frames wait
    assertThat(shipper.stats().throttled()).isEqualTo(1);

    await().until(() -> hub.frames.size() == 7);
    assertThat(shipper.paused()).isFalse();
    assertThat(received().subList(3, 7)).containsExactlyElementsOf(queue.pending());
    assertThat(shipper.stats().resent()).isEqualTo(2);
  }

  @Test
  void dropsRejectedBatchesAndFramesLargerThanTheSessionAllows() {
    hub.settings =
        new SessionSettings(
            Duration.ofSeconds(60), 0.1, 50L << 20, 1000, Duration.ofSeconds(5), 2048);
    queue.seal(100);
    BatchId tooLarge = id(queue.seal(4096));
    queue.seal(100);
    connect(NO_JITTER);
    await().until(() -> hub.frames.size() == 2);
    assertThat(received()).doesNotContain(tooLarge);
    assertThat(shipper.stats().oversized()).isEqualTo(1);
    assertThat(queue.acknowledged()).containsExactly(tooLarge);

    ack(TelemetryAck.Status.REJECTED, hub.frames);
    await().until(() -> queue.pending().isEmpty());
    assertThat(shipper.stats().rejected()).isEqualTo(2);
  }

  private static BatchId id(dev.syntra.telemetry.buffer.SealedFrame frame) {
    return frame.batchId();
  }

  /** What the agent's SessionEvents does for telemetry, and nothing else. */
  private record ShippingListener(FrameShipper shipper) implements LinkListener {
    @Override
    public AgentHello hello() {
      return new AgentHello(
          null,
          TokenFormat.AGENT.generate(new SecureRandom()),
          "0.1.0",
          "docker",
          "debian-12",
          "x86_64",
          "test-host",
          new AgentHello.Resources(1, 1L << 30, 1L << 30),
          null);
    }

    @Override
    public void onSessionOpened(Session session, HelloOk ok) {
      shipper.sessionOpened(session);
    }

    @Override
    public void onCommand(Session session, Envelope command) {}

    @Override
    public void onTelemetryAck(Session session, TelemetryAck ack) {
      shipper.acknowledged(ack);
    }

    @Override
    public void onThrottle(Session session, Throttle throttle) {
      shipper.throttled(throttle);
    }

    @Override
    public void onSessionClosed(Session session) {
      shipper.sessionClosed(session);
    }
  }
}
