package dev.syntra.agent.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends service notifications to systemd ({@code sd_notify}): {@code READY=1} once the agent has
 * started, {@code WATCHDOG=1} periodically while it is healthy, {@code STOPPING=1} when it shuts
 * down. The unit installed by {@code install.sh} is {@code Type=notify} with {@code
 * WatchdogSec=90}, so an agent started by it must call {@link #ready()} within {@code
 * TimeoutStartSec} (60 s) and {@link #watchdog()} every {@link #watchdogInterval()}, or systemd
 * restarts it.
 *
 * <p>Why a child process: systemd's notification socket ({@code $NOTIFY_SOCKET}) is a unix
 * <em>datagram</em> socket, and the JDK supports unix-domain sockets only as streams. So each
 * notification runs {@code systemd-notify} (part of systemd, present wherever the unit runs); the
 * unit therefore sets {@code NotifyAccess=all}. {@code systemd-notify} (systemd 246+) waits until
 * the manager has processed the message, so it cannot be lost to the sender exiting first. One
 * notification costs one short-lived process (a few milliseconds), every 45 s for the watchdog.
 *
 * <p>Outside systemd ({@code $NOTIFY_SOCKET} unset: a foreground run, a container) every method
 * does nothing and returns {@code false}. Methods never throw; failures are counted ({@link
 * #failures()}) and logged, the first at WARN and later ones at DEBUG. Thread-safe.
 */
public final class SystemdNotifier {
  private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final @Nullable Path notifyCommand;
  private final @Nullable String notifySocket;
  private final @Nullable Duration watchdogInterval;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private SystemdNotifier(
      @Nullable Path notifyCommand,
      @Nullable String notifySocket,
      @Nullable Duration watchdogInterval) {
    this.notifyCommand = notifyCommand;
    this.notifySocket = notifySocket;
    this.watchdogInterval = watchdogInterval;
  }

  /** A notifier for this process, configured by systemd's environment variables. */
  public static SystemdNotifier fromEnvironment() {
    return create(System.getenv(), ProcessHandle.current().pid());
  }

  /**
   * A notifier configured by {@code env} ({@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}, {@code
   * WATCHDOG_PID}, {@code PATH}) for the process {@code pid}.
   */
  static SystemdNotifier create(Map<String, String> env, long pid) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isBlank()) {
      return new SystemdNotifier(null, null, null);
    }
    Path command = findOnPath(env.get("PATH"), "systemd-notify");
    if (command == null) {
      log.warn(
          "NOTIFY_SOCKET is set but systemd-notify was not found on the PATH: systemd will not"
              + " learn that the agent is ready (a Type=notify unit then times out)");
    }
    return new SystemdNotifier(command, socket, watchdogInterval(env, pid));
  }

  /**
   * Half the watchdog timeout systemd set for this process ({@code WATCHDOG_USEC}), as {@code
   * sd_watchdog_enabled(3)} recommends; empty when systemd expects no watchdog pings from this
   * process.
   */
  private static @Nullable Duration watchdogInterval(Map<String, String> env, long pid) {
    String usec = env.get("WATCHDOG_USEC");
    String watchdogPid = env.get("WATCHDOG_PID");
    if (usec == null) {
      return null;
    }
    try {
      if (watchdogPid != null && Long.parseLong(watchdogPid.strip()) != pid) {
        return null; // the pings are expected from another process
      }
      long micros = Long.parseLong(usec.strip());
      return micros > 0 ? Duration.ofNanos(micros * 500L) : null;
    } catch (NumberFormatException e) {
      log.warn("ignoring malformed WATCHDOG_USEC/WATCHDOG_PID from systemd");
      return null;
    }
  }

  private static @Nullable Path findOnPath(@Nullable String path, String name) {
    List<String> dirs = new ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of("/usr/bin", "/bin", "/usr/local/bin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Whether this process runs under systemd with a notification socket. */
  public boolean enabled() {
    return notifySocket != null;
  }

  /**
   * How often to call {@link #watchdog()}: half of the unit's {@code WatchdogSec}; empty when the
   * unit has no watchdog or this process is not the one it watches.
   */
  public Optional<Duration> watchdogInterval() {
    return Optional.ofNullable(watchdogInterval);
  }

  /** Tells systemd the agent has started ({@code READY=1}); returns whether systemd got it. */
  public boolean ready() {
    return send("READY=1", "STATUS=running");
  }

  /** Pings the watchdog ({@code WATCHDOG=1}); call only while the agent is healthy. */
  public boolean watchdog() {
    return watchdogInterval != null && send("WATCHDOG=1");
  }

  /** Tells systemd the agent is shutting down ({@code STOPPING=1}). */
  public boolean stopping() {
    return send("STOPPING=1");
  }

  /** Sets the one-line status that {@code systemctl status} shows ({@code STATUS=...}). */
  public boolean status(String text) {
    return send("STATUS=" + text.replace('\n', ' '));
  }

  /** Notifications systemd accepted. */
  public long sent() {
    return sent.get();
  }

  /** Notifications that failed (systemd-notify missing, failing or hanging). */
  public long failures() {
    return failures.get();
  }

  private boolean send(String... assignments) {
    if (notifySocket == null) {
      return false;
    }
    if (notifyCommand == null) {
      failures.incrementAndGet();
      return false;
    }
    List<String> command = new ArrayList<>();
    command.add(notifyCommand.toString());
    command.addAll(List.of(assignments));
    Process process = null;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectErrorStream(true);
      builder.environment().put("NOTIFY_SOCKET", notifySocket);
      process = builder.start();
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return failed(assignments[0], "systemd-notify did not finish within " + COMMAND_TIMEOUT);
      }
      if (process.exitValue() != 0) {
        return failed(assignments[0], "systemd-notify exited with " + process.exitValue());
      }
      sent.incrementAndGet();
      return true;
    } catch (IOException e) {
      return failed(assignments[0], e.toString());
    } catch (InterruptedException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      Thread.currentThread().interrupt();
      return failed(assignments[0], "interrupted");
    }
  }

  private boolean failed(String what, String why) {
    long count = failures.incrementAndGet();
    if (count == 1) {
      log.warn("could not notify systemd ({}): {}", what, why);
    } else {
      log.debug("could not notify systemd ({}, failure {}): {}", what, count, why);
    }
    return false;
  }

  @Override
  public String toString() {
    return "SystemdNotifier[enabled="
        + enabled()
        + ", watchdogInterval="
        + watchdogInterval
        + ", sent="
        + sent
        + ", failures="
        + failures
        + "]";
  }
}
