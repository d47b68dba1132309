package dev.syntra.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.Envelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private final Instant now = Instant.parse("2026-11-26T12:00:00Z");
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);

  private Envelope message(Instant ts) {
    return Envelope.of(CommandResult.ok(), Clock.fixed(ts, ZoneOffset.UTC));
  }

  @Test
  void keepsMessagesWhileClosedAndFlushesThemInOrder() {
    Outbox outbox = new Outbox(10, clock);
    Envelope a = message(now);
    Envelope b = message(now);
    outbox.send(a);
    outbox.send(b);
    assertThat(outbox.size()).isEqualTo(2);
    List<Envelope> sent = new ArrayList<>();
    outbox.open(e -> sent.add(e));
    assertThat(sent).extracting(Envelope::id).containsExactly(a.id(), b.id());
    Envelope c = message(now);
    outbox.send(c);
    assertThat(sent).hasSize(3);
    assertThat(outbox.size()).isZero();
  }

  @Test
  void dropsTheOldestWhenFullAndCountsIt() {
    Outbox outbox = new Outbox(2, clock);
    Envelope a = message(now);
    outbox.send(a);
    outbox.send(message(now));
    outbox.send(message(now));
    assertThat(outbox.size()).isEqualTo(2);
    assertThat(outbox.dropped()).isEqualTo(1);
    List<Envelope> sent = new ArrayList<>();
    outbox.open(sent::add);
    assertThat(sent).extracting(Envelope::id).doesNotContain(a.id());
  }

  @Test
  void refreshesNonceAndKeepsOldTimestampsInsideTheReplayWindow() {
    Outbox outbox = new Outbox(10, clock);
    Envelope old = message(now.minus(Duration.ofHours(1)));
    Envelope recent = message(now.minusSeconds(10));
    outbox.send(old);
    outbox.send(recent);
    List<Envelope> sent = new ArrayList<>();
    outbox.open(sent::add);
    assertThat(sent.get(0).id()).isEqualTo(old.id());
    assertThat(sent.get(0).nonce()).isNotEqualTo(old.nonce());
    assertThat(sent.get(0).ts()).isEqualTo(now.minus(Outbox.MAX_AGE));
    assertThat(sent.get(1).ts()).isEqualTo(recent.ts());
  }

  @Test
  void keepsWhatASinkThatFailsCouldNotTake() {
    Outbox outbox = new Outbox(10, clock);
    outbox.send(message(now));
    outbox.open(e -> false);
    assertThat(outbox.size()).isEqualTo(1);
  }
}
