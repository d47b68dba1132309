package dev.syntra.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.protocol.runtime.ContractEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {
  private static final long PID = 4242;

  @Test
  void doesNothingOutsideSystemd() {
    SystemdNotifier notifier = SystemdNotifier.create(Map.of("PATH", "/usr/bin"), PID);

    assertThat(notifier.enabled()).isFalse();
    assertThat(notifier.watchdogInterval()).isEmpty();
    assertThat(notifier.ready()).isFalse();
    assertThat(notifier.watchdog()).isFalse();
    assertThat(notifier.stopping()).isFalse();
    assertThat(notifier.failures()).isZero();
  }

  @Test
  void watchdogIntervalIsHalfOfSystemdsTimeoutForTheWatchedProcessOnly() {
    Map<String, String> base =
        Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "90000000");

    assertThat(SystemdNotifier.create(base, PID).watchdogInterval())
        .contains(Duration.ofSeconds(45));
    assertThat(SystemdNotifier.create(with(base, "WATCHDOG_PID", "4242"), PID).watchdogInterval())
        .contains(Duration.ofSeconds(45));
    assertThat(SystemdNotifier.create(with(base, "WATCHDOG_PID", "1"), PID).watchdogInterval())
        .isEmpty();
    assertThat(SystemdNotifier.create(with(base, "WATCHDOG_USEC", "soon"), PID).watchdogInterval())
        .isEmpty();
  }

  @Test
  void countsAFailureWhenSystemdIsNotListening(@TempDir Path dir) {
    ContractEngine.require(
        Files.isExecutable(Path.of("/usr/bin/systemd-notify")), "systemd-notify is not installed");
    SystemdNotifier notifier =
        SystemdNotifier.create(
            Map.of("NOTIFY_SOCKET", dir.resolve("nobody-listens").toString()), PID);

    assertThat(notifier.ready()).isFalse();
    assertThat(notifier.failures()).isEqualTo(1);
  }

  /** A real datagram socket receives what systemd would: the JDK cannot bind one, python can. */
  @Test
  void sendsReadyWatchdogAndStoppingToTheNotifySocket(@TempDir Path dir) throws Exception {
    ContractEngine.require(
        Files.isExecutable(Path.of("/usr/bin/systemd-notify")),
        "systemd-notify is not installed (package systemd)");
    ContractEngine.require(
        onPath("python3"), "python3 is not installed: no datagram receiver for the test");
    Path socket = dir.resolve("notify.sock");
    Path received = dir.resolve("received.txt");
    Process receiver =
        new ProcessBuilder(
                "python3",
                "-c",
                "import socket,sys\n"
                    + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n"
                    + "s.bind(sys.argv[1])\n"
                    + "s.settimeout(30)\n"
                    + "with open(sys.argv[2],'a') as out:\n"
                    + "  while True:\n"
                    + "    out.write(s.recv(4096).decode()+'\\n'); out.flush()\n",
                socket.toString(),
                received.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
      SystemdNotifier notifier =
          SystemdNotifier.create(
              Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "90000000"), PID);

      assertThat(notifier.ready()).isTrue();
      assertThat(notifier.watchdog()).isTrue();
      assertThat(notifier.stopping()).isTrue();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() ->
              assertThat(read(received))
                  .contains("READY=1\nSTATUS=running", "WATCHDOG=1", "STOPPING=1"));
      assertThat(notifier.sent()).isEqualTo(3);
      assertThat(notifier.failures()).isZero();
    } finally {
      receiver.destroy();
      receiver.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    var copy = new java.util.HashMap<>(base);
    copy.put(key, value);
    return Map.copyOf(copy);
  }
}
