package dev.syntra.runtime.docker.internal.replica;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a new replica may take traffic, by probing it on its loopback port: an HTTP GET
 * answering 2xx/3xx or a TCP connection the replica keeps open. Follows {@link HealthCheck}: the
 * replica is healthy after one success and unhealthy after {@code retries} consecutive failures,
 * counted once per {@code interval} starting one interval after the replica started; failures
 * within {@code startPeriod} do not count. Between counted probes it probes every {@code
 * pollInterval}, so a replica that is ready early takes traffic early. A replica that exits or is
 * restarted by Docker while waiting fails at once. Without a health check a replica must stay
 * running for {@code noCheckGrace}.
 *
 * <p>The TCP probe also reads briefly: Docker's userland proxy accepts loopback connections even
 * when nothing listens inside the container and then closes them, so "connected, then closed at
 * once" is a failure. Thread-safe; blocks the caller.
 */
public final class HealthGate {
  /** Sleeps; injected so tests can drive time. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Outcome of one probe, with a detail for messages such as "GET /health answered 404". */
  public record Probe(boolean healthy, String detail) {}

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration TCP_SETTLE = Duration.ofMillis(300);
  private static final int MAX_STATUS_LINE = 1024;

  private final DockerClient docker;
  private final String daemon;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration pollInterval;
  private final Duration noCheckGrace;

  public HealthGate(
      DockerClient docker,
      String daemon,
      Clock clock,
      Sleeper sleeper,
      Duration pollInterval,
      Duration noCheckGrace) {
    this.docker = docker;
    this.daemon = daemon;
    this.clock = clock;
    this.sleeper = sleeper;
    this.pollInterval = pollInterval;
    this.noCheckGrace = noCheckGrace;
  }

  /**
   * Returns once {@code replica} is healthy.
   *
   * @throws RuntimeAdapterException.HealthCheckFailed if it exits or fails its check
   * @throws RuntimeAdapterException with {@link RuntimeErrorCode#INTERNAL} if interrupted (the
   *     interrupt flag is set again)
   */
  public void await(Replica replica, @Nullable HealthCheck check) {
    try {
      if (check == null) {
        awaitRunning(replica);
      } else {
        awaitHealthy(replica, check);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeAdapterException(
          RuntimeErrorCode.INTERNAL,
          "interrupted while waiting for " + replica.name() + " to become healthy",
          e);
    }
  }

  /** One probe of a running replica (used by status), bounded by the check's timeout. */
  public Probe probe(Replica replica, HealthCheck check) {
    Integer port = replica.loopbackPorts().get(check.port());
    if (port == null) {
      return new Probe(false, "port " + check.port() + " is not published on loopback");
    }
    return probe(port, check);
  }

  private void awaitRunning(Replica replica) throws InterruptedException {
    Facts first = facts(replica);
    Instant end = clock.instant().plus(noCheckGrace);
    while (true) {
      Facts now = facts(replica);
      failIfExited(replica, first, now);
      if (!clock.instant().isBefore(end)) {
        return;
      }
      sleeper.sleep(min(pollInterval, Duration.between(clock.instant(), end)));
    }
  }

  private void awaitHealthy(Replica replica, HealthCheck check) throws InterruptedException {
    Instant started = clock.instant();
    Instant countFrom = started.plus(check.startPeriod());
    Instant nextCounted = started.plus(check.interval());
    Facts first = facts(replica);
    int failures = 0;
    while (true) {
      Facts now = facts(replica);
      failIfExited(replica, first, now);
      Integer port = now.loopbackPorts.get(check.port());
      Probe probe =
          port == null
              ? new Probe(false, "port " + check.port() + " is not published on loopback")
              : probe(port, check);
      if (probe.healthy()) {
        return;
      }
      Instant t = clock.instant();
      if (!t.isBefore(nextCounted)) {
        if (!t.isBefore(countFrom)) {
          failures++;
        }
        if (failures >= check.retries()) {
          throw new RuntimeAdapterException.HealthCheckFailed(
              "replica "
                  + replica.name()
                  + " did not become healthy: "
                  + probe.detail()
                  + " ("
                  + failures
                  + " consecutive failures, every "
                  + check.interval().toMillis()
                  + " ms)");
        }
        nextCounted = t.plus(check.interval());
      }
      sleeper.sleep(min(pollInterval, check.interval()));
    }
  }

  private static void failIfExited(Replica replica, Facts first, Facts now) {
    if (now.running && now.restartCount == first.restartCount) {
      return;
    }
    String how;
    if (now.oomKilled) {
      how = "was killed for exceeding its memory limit";
    } else if (now.restartCount != first.restartCount) {
      int times = now.restartCount - first.restartCount;
      how =
          "exited"
              + (now.exitCode != null && now.exitCode != 0 ? " with status " + now.exitCode : "")
              + " and was restarted by Docker ("
              + times
              + (times == 1 ? " time)" : " times)");
    } else if (now.exitCode != null) {
      how = "exited with status " + now.exitCode;
    } else {
      how = "stopped";
    }
    throw new RuntimeAdapterException.HealthCheckFailed(
        "replica " + replica.name() + " " + how + " while waiting to become healthy");
  }

  private Facts facts(Replica replica) {
    InspectContainerResponse c;
    try {
      c = docker.inspectContainerCmd(replica.id()).exec();
    } catch (RuntimeException e) {
      if (DockerErrors.isNotFound(e)) {
        throw new RuntimeAdapterException.HealthCheckFailed(
            "replica " + replica.name() + " disappeared while waiting to become healthy");
      }
      throw DockerErrors.map(e, "inspect container " + replica.name(), daemon);
    }
    var state = c.getState();
    boolean running =
        state != null
            && Boolean.TRUE.equals(state.getRunning())
            && !Boolean.TRUE.equals(state.getRestarting());
    Long exit = state == null ? null : state.getExitCodeLong();
    boolean oom = state != null && Boolean.TRUE.equals(state.getOOMKilled());
    int restarts = c.getRestartCount() == null ? 0 : c.getRestartCount();
    return new Facts(running, restarts, exit, oom, ReplicaFactory.loopbackPorts(c));
  }

  private record Facts(
      boolean running,
      int restartCount,
      @Nullable Long exitCode,
      boolean oomKilled,
      Map<Integer, Integer> loopbackPorts) {}

  /** One probe against {@code 127.0.0.1:port}. */
  static Probe probe(int port, HealthCheck check) {
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, check.timeout().toMillis());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), timeoutMillis);
      if (check.type() == HealthCheck.Type.TCP) {
        return tcpSettled(socket, check);
      }
      socket.setSoTimeout(timeoutMillis);
      return http(socket, port, check);
    } catch (SocketTimeoutException e) {
      return new Probe(false, "no answer within " + check.timeout().toMillis() + " ms");
    } catch (IOException e) {
      return new Probe(false, "connection to port " + check.port() + " failed: " + e.getMessage());
    }
  }

  private static Probe tcpSettled(Socket socket, HealthCheck check) throws IOException {
    socket.setSoTimeout((int) min(TCP_SETTLE, check.timeout()).toMillis());
    try {
      int b = socket.getInputStream().read();
      return b < 0
          ? new Probe(false, "port " + check.port() + " closed the connection at once")
          : new Probe(true, "port " + check.port() + " answered");
    } catch (SocketTimeoutException e) {
      return new Probe(true, "port " + check.port() + " accepted the connection");
    } catch (IOException e) {
      return new Probe(false, "port " + check.port() + " reset the connection");
    }
  }

  private static Probe http(Socket socket, int port, HealthCheck check) throws IOException {
    String request =
        "GET "
            + check.path()
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUser-Agent: syntra-health/1\r\nAccept: */*\r\nConnection: close\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = readLine(socket.getInputStream());
    if (status == null) {
      return new Probe(
          false,
          "GET "
              + check.path()
              + " got no response (nothing listens on port "
              + check.port()
              + " yet)");
    }
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      return new Probe(false, "GET " + check.path() + " got a non-HTTP answer");
    }
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return new Probe(false, "GET " + check.path() + " got a malformed status line");
    }
    boolean ok = code >= 200 && code < 400;
    return new Probe(ok, "GET " + check.path() + " answered " + code);
  }

  private static @Nullable String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    while (line.length() < MAX_STATUS_LINE) {
      int b = in.read();
      if (b < 0) {
        return line.isEmpty() ? null : line.toString();
      }
      if (b == '\n') {
        return line.toString().strip();
      }
      line.append((char) b);
    }
    return line.toString();
  }

  private static Duration min(Duration a, Duration b) {
    Duration m = a.compareTo(b) <= 0 ? a : b;
    return m.isNegative() ? Duration.ZERO : m;
  }
}
