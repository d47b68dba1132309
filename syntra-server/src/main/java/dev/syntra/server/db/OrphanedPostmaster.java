package dev.syntra.server.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server a crashed control plane left behind. The embedded database is a child
 * process; when the JVM is killed (SIGKILL, OOM killer, power of a container runtime) no shutdown
 * hook runs and the postmaster keeps running, holding {@code postmaster.pid}, so the next start
 * would fail with "lock file already exists". Before starting, the postmaster recorded in that file
 * is stopped, but only when it is alive and serves exactly this data directory: then it can only be
 * ours.
 */
final class OrphanedPostmaster {
  private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);
  private static final Duration GRACEFUL = Duration.ofSeconds(30);

  private OrphanedPostmaster() {}

  /** Stops the postmaster left running on {@code dataDirectory}, if any. */
  static void stopIfRunning(Path dataDirectory) {
    Optional<ProcessHandle> orphan = find(dataDirectory);
    if (orphan.isEmpty()) {
      return;
    }
    ProcessHandle postmaster = orphan.get();
    log.warn(
        "A PostgreSQL server (pid {}) from a previous run still serves {}: the control plane did not"
            + " shut down cleanly. Stopping it before starting again.",
        postmaster.pid(),
        dataDirectory);
    // SIGTERM is PostgreSQL's "smart" shutdown: with no clients left it stops at once, cleanly.
    postmaster.destroy();
    if (!awaitExit(postmaster, GRACEFUL)) {
      // Crash recovery on the next start makes this safe (fsync and full page writes are on).
      log.warn("PostgreSQL (pid {}) did not stop in {}; killing it", postmaster.pid(), GRACEFUL);
      postmaster.destroyForcibly();
      awaitExit(postmaster, GRACEFUL);
    }
  }

  static Optional<ProcessHandle> find(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    long pid;
    try {
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.size() < 2) {
        return Optional.empty();
      }
      pid = Long.parseLong(lines.get(0).strip());
      // Line 2 is the data directory the postmaster serves.
      if (!Path.of(lines.get(1).strip()).equals(dataDirectory.toAbsolutePath())) {
        return Optional.empty();
      }
    } catch (IOException | NumberFormatException unreadable) {
      return Optional.empty(); // PostgreSQL itself reports what is wrong with the file
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> servesDirectory(p, dataDirectory));
  }

  private static boolean servesDirectory(ProcessHandle process, Path dataDirectory) {
    String commandLine = process.info().commandLine().orElse("");
    return commandLine.contains("postgres")
        && commandLine.contains("-D " + dataDirectory.toAbsolutePath());
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    CompletableFuture<ProcessHandle> exit = process.onExit();
    try {
      exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
