package dev.syntra.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.CommandResult;
import dev.syntra.protocol.message.DeployStatus;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplyLimiterTest {
  private static final int LIMIT = 64 << 10;
  private final MessageCodec codec = MessageCodec.create(4 << 20);
  private final ReplyLimiter limiter = new ReplyLimiter(codec);
  private final Envelope command =
      Envelope.of(CommandResult.ok(), Clock.systemUTC()); // stands in for the command's envelope

  private Envelope reply(CommandResult result) {
    return Envelope.replyTo(command, result, Clock.systemUTC());
  }

  private int encodedSize(Envelope e) {
    return codec.encode(e).getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void aSmallReplyIsUnchanged() {
    Envelope small =
        reply(CommandResult.ok(new ExecResult(0, "hi\n", "", false, false, Duration.ZERO)));
    assertThat(limiter.fit(small, LIMIT)).containsSame(small);
  }

  @Test
  void controlBytesAreCountedEscapedAndTheHeadOfTheOutputIsKept() {
    // 40,000 chars, but 240,000 bytes once escaped as \u0001: far over the limit.
    String out = "start\n" + "\u0001".repeat(40_000);
    String err = "e".repeat(30_000);
    Envelope big =
        reply(CommandResult.ok(new ExecResult(3, out, err, false, false, Duration.ofMillis(5))));
    assertThat(out.length() + err.length()).isLessThan(LIMIT * 2);
    assertThat(encodedSize(big)).isGreaterThan(LIMIT);

    Envelope fitted = limiter.fit(big, LIMIT).orElseThrow();
    assertThat(encodedSize(fitted)).isLessThanOrEqualTo(LIMIT);
    ExecResult exec = ((CommandResult) fitted.payload()).exec();
    assertThat(exec.truncated()).isTrue();
    assertThat(exec.exitCode()).isEqualTo(3);
    assertThat(out).startsWith(exec.stdout());
    assertThat(err).startsWith(exec.stderr());
    assertThat(exec.stdout()).startsWith("start\n");
    assertThat(fitted.id()).isEqualTo(big.id());
    assertThat(fitted.replyTo()).isEqualTo(command.id());
    // It decodes again: the journal can resend it.
    assertThat(codec.decode(codec.encode(fitted))).isEqualTo(fitted);
  }

  @Test
  void surrogatePairsAreNeverSplit() {
    String emoji = "\uD83D\uDE00".repeat(40_000); // 160,000 UTF-8 bytes
    Envelope big =
        reply(CommandResult.ok(new ExecResult(0, emoji, "", false, false, Duration.ZERO)));
    Envelope fitted = limiter.fit(big, LIMIT).orElseThrow();
    String kept = ((CommandResult) fitted.payload()).exec().stdout();
    assertThat(kept).isNotEmpty();
    assertThat(kept.length() % 2).isZero();
    assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    assertThat(encodedSize(fitted)).isLessThanOrEqualTo(LIMIT);
  }

  @Test
  void anOversizedErrorBecomesAnInternalFailureQuotingItsHead() {
    Envelope big = reply(CommandResult.failed("timeout", "x".repeat(200_000)));
    Envelope fitted = limiter.fit(big, LIMIT).orElseThrow();
    CommandResult result = (CommandResult) fitted.payload();
    assertThat(result.error().code()).isEqualTo("internal");
    assertThat(result.error().message())
        .startsWith("the command failed with timeout: xxx")
        .contains("message limit");
    assertThat(encodedSize(fitted)).isLessThanOrEqualTo(LIMIT);
  }

  @Test
  void anOversizedDeployStatusKeepsTheHeadOfItsMessage() {
    Envelope big =
        Envelope.replyTo(
            command,
            new DeployStatus(
                "dep_1",
                new ServiceRef("k3x9a2", "shop", "web"),
                DeployPhase.FAILED,
                "y".repeat(200_000),
                "internal"),
            Clock.systemUTC());
    Envelope fitted = limiter.fit(big, LIMIT).orElseThrow();
    DeployStatus status = (DeployStatus) fitted.payload();
    assertThat(status.message()).startsWith("yyy").endsWith("(cut)");
    assertThat(status.phase()).isEqualTo(DeployPhase.FAILED);
  }
}
