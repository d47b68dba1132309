package dev.syntra.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.ScaleCommand;
import dev.syntra.protocol.message.StopCommand;
import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandJournalTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");
  @TempDir Path stateDir;

  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-26T12:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void survivesAReopenWithStateAndFinalMessages() throws Exception {
    CommandJournal journal =
        CommandJournal.open(stateDir, Clock.systemUTC(), 10, Duration.ofDays(7));
    journal.recordReceived("msg_a", new ScaleCommand(WEB, 3));
    journal.recordReceived("msg_b", new StopCommand(WEB));
    journal.recordFinished("msg_b", List.of("{\"one\":1}", "{\"two\":2}"));

    CommandJournal reopened =
        CommandJournal.open(stateDir, Clock.systemUTC(), 10, Duration.ofDays(7));
    assertThat(reopened.size()).isEqualTo(2);
    JournalEntry a = reopened.get("msg_a").orElseThrow();
    assertThat(a.finished()).isFalse();
    assertThat(a.type()).isEqualTo(MessageType.SCALE);
    assertThat(a.replicas()).isEqualTo(3);
    assertThat(a.service()).isEqualTo(WEB);
    assertThat(reopened.unfinished()).extracting(JournalEntry::commandId).containsExactly("msg_a");
    assertThat(reopened.finalMessages("msg_b")).containsExactly("{\"one\":1}", "{\"two\":2}");
    try (var files = Files.list(stateDir.resolve(CommandJournal.DIR_NAME))) {
      for (Path file : files.toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void dropsTheOldestFinishedEntriesBeyondTheBoundAndCountsThem() throws Exception {
    MutableClock clock = new MutableClock();
    CommandJournal journal = CommandJournal.open(stateDir, clock, 3, Duration.ofDays(7));
    journal.recordReceived("msg_running", new StopCommand(WEB));
    for (int i = 0; i < 5; i++) {
      clock.now = clock.now.plusSeconds(1);
      journal.recordReceived("msg_" + i, new StopCommand(WEB));
      journal.recordFinished("msg_" + i, List.of());
    }
    assertThat(journal.dropped()).isEqualTo(2);
    assertThat(journal.get("msg_0")).isEmpty();
    assertThat(journal.get("msg_1")).isEmpty();
    assertThat(journal.get("msg_4")).isPresent();
    assertThat(journal.get("msg_running")).isPresent();
    assertThat(journal.size()).isEqualTo(4);
  }

  @Test
  void dropsFinishedEntriesOlderThanTheMaximumAge() throws Exception {
    MutableClock clock = new MutableClock();
    CommandJournal journal = CommandJournal.open(stateDir, clock, 1000, Duration.ofDays(7));
    journal.recordReceived("msg_old", new StopCommand(WEB));
    journal.recordFinished("msg_old", List.of());
    clock.now = clock.now.plus(Duration.ofDays(8));
    journal.recordReceived("msg_new", new StopCommand(WEB));
    journal.recordFinished("msg_new", List.of());
    assertThat(journal.get("msg_old")).isEmpty();
    assertThat(journal.dropped()).isEqualTo(1);
  }

  @Test
  void setsAsideAnUnreadableEntry() throws Exception {
    CommandJournal.open(stateDir, Clock.systemUTC(), 10, Duration.ofDays(7));
    Files.writeString(stateDir.resolve("journal/cmd-msg_x.json"), "{not json");
    CommandJournal journal =
        CommandJournal.open(stateDir, Clock.systemUTC(), 10, Duration.ofDays(7));
    assertThat(journal.size()).isZero();
    assertThat(journal.corrupt()).isEqualTo(1);
    assertThat(stateDir.resolve("journal/cmd-msg_x.json.corrupt")).exists();
  }

  @Test
  void prunedIdsStayKnownAsTombstonesAcrossReopensWithinTheirBounds() throws Exception {
    MutableClock clock = new MutableClock();
    CommandJournal journal =
        CommandJournal.open(stateDir, clock, 1, Duration.ofDays(7), 3, Duration.ofDays(90));
    for (int i = 0; i < 5; i++) {
      clock.now = clock.now.plusSeconds(1);
      journal.recordReceived("msg_" + i, new StopCommand(WEB));
      journal.recordFinished("msg_" + i, List.of());
    }
    assertThat(journal.get("msg_3")).isEmpty();
    assertThat(journal.tombstoned("msg_3")).isTrue();
    assertThat(journal.tombstoned("msg_4")).isFalse(); // still a full entry
    assertThat(journal.tombstoned("msg_0")).isFalse(); // beyond the 3-tombstone bound
    assertThat(journal.tombstones()).isEqualTo(3);

    CommandJournal reopened =
        CommandJournal.open(stateDir, clock, 1, Duration.ofDays(7), 3, Duration.ofDays(90));
    assertThat(reopened.tombstoned("msg_1")).isTrue();
    assertThat(reopened.tombstoned("msg_3")).isTrue();
    assertThat(reopened.tombstoned("msg_0")).isFalse();
    assertThat(reopened.tombstoned("msg_never")).isFalse();

    clock.now = clock.now.plus(Duration.ofDays(30));
    CommandJournal later =
        CommandJournal.open(stateDir, clock, 1, Duration.ofDays(7), 3, Duration.ofDays(90));
    assertThat(later.get("msg_4")).isEmpty();
    assertThat(later.tombstoned("msg_4")).isTrue(); // pruned by age at this open
    assertThat(later.tombstoned("msg_1")).isFalse(); // pushed out by the count bound

    clock.now = clock.now.plus(Duration.ofDays(61));
    CommandJournal muchLater =
        CommandJournal.open(stateDir, clock, 1, Duration.ofDays(7), 3, Duration.ofDays(90));
    assertThat(muchLater.tombstones()).isZero();
    assertThat(Files.readAllLines(stateDir.resolve("journal/tombstones.log"))).isEmpty();
  }

  @Test
  void execOutputIsKeptOnlyForItsRetentionAlsoAcrossAReopen() throws Exception {
    MutableClock clock = new MutableClock();
    CommandJournal journal = CommandJournal.open(stateDir, clock, 10, Duration.ofDays(7));
    var exec =
        new dev.syntra.protocol.message.ExecCommand(
            WEB, List.of("env"), dev.syntra.protocol.runtime.ExecOptions.DEFAULTS);
    journal.recordReceived("msg_exec", exec);
    journal.recordFinished("msg_exec", List.of("{\"stdout\":\"PASSWORD=hunter2\"}"));
    journal.recordReceived("msg_stop", new StopCommand(WEB));
    journal.recordFinished("msg_stop", List.of("{\"ok\":true}"));
    Path file = stateDir.resolve(CommandJournal.DIR_NAME).resolve("cmd-msg_exec.json");

    clock.now = clock.now.plus(CommandJournal.EXEC_OUTPUT_RETENTION).minusSeconds(1);
    journal.purgeExpiredOutput();
    assertThat(journal.finalMessages("msg_exec")).hasSize(1);
    assertThat(journal.execOutputsKept()).isEqualTo(1);

    // A reopen after the retention (an agent restarted later) purges too.
    clock.now = clock.now.plusSeconds(2);
    CommandJournal reopened = CommandJournal.open(stateDir, clock, 10, Duration.ofDays(7));
    assertThat(Files.readString(file)).doesNotContain("hunter2").contains("output_purged");
    assertThat(reopened.finalMessages("msg_exec")).isEmpty();
    assertThat(reopened.get("msg_exec").orElseThrow().finished()).isTrue();
    assertThat(reopened.execOutputsKept()).isZero();
    // Other commands keep their final messages (they hold no output).
    assertThat(reopened.finalMessages("msg_stop")).containsExactly("{\"ok\":true}");
  }

  @Test
  void theTombstoneFileIsPrivateLikeEveryJournalFile() throws Exception {
    Path dir = Files.createDirectories(stateDir.resolve(CommandJournal.DIR_NAME));
    // An older agent created it with the umask's mode.
    Files.writeString(dir.resolve("tombstones.log"), "");
    Files.setPosixFilePermissions(
        dir.resolve("tombstones.log"), PosixFilePermissions.fromString("rw-r--r--"));
    MutableClock clock = new MutableClock();
    CommandJournal journal = CommandJournal.open(stateDir, clock, 1, Duration.ofDays(7));
    for (int i = 0; i < 3; i++) {
      clock.now = clock.now.plusSeconds(1);
      journal.recordReceived("msg_" + i, new StopCommand(WEB));
      journal.recordFinished("msg_" + i, List.of());
    }
    assertThat(journal.tombstoned("msg_0")).isTrue();
    try (var files = Files.list(dir)) {
      assertThat(files.toList())
          .isNotEmpty()
          .allSatisfy(f ->
              assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                  .as(f.toString())
                  .isEqualTo("rw-------"));
    }
  }
}
