package dev.syntra.runtime.docker;

import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.runtime.docker.internal.daemon.DockerClients;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link DockerRuntimeAdapter}. Not thread-safe; {@link #build()} returns an
 * independent adapter each time.
 */
public final class DockerRuntimeAdapterBuilder {
  @Nullable URI dockerHost;
  @Nullable Boolean tlsVerify;
  @Nullable Path certPath;
  Path stateDir = Path.of(System.getProperty("user.home"), ".syntra", "docker");
  @Nullable Path traefikDynamicConfigDir;
  @Nullable String traefikContainer;
  Clock clock = Clock.systemUTC();
  Duration healthProbePollInterval = Duration.ofMillis(250);
  Duration noCheckGrace = Duration.ofSeconds(1);
  Duration drainTimeout = Duration.ofSeconds(30);
  Duration stopTimeout = Duration.ofSeconds(10);
  Duration pullTimeout = Duration.ofMinutes(10);
  Duration traefikReloadDelay = Duration.ofSeconds(3);
  int proxyMaxConnections = 4096;
  boolean recoverOnStart = true;

  DockerRuntimeAdapterBuilder() {}

  /**
   * Daemon address ({@code unix:///var/run/docker.sock}, {@code tcp://host:2376}); default {@code
   * DOCKER_HOST}, else the unix socket.
   */
  public DockerRuntimeAdapterBuilder dockerHost(URI dockerHost) {
    this.dockerHost = dockerHost;
    return this;
  }

  /** Verify the daemon's TLS certificate (TCP only); default {@code DOCKER_TLS_VERIFY=1}. */
  public DockerRuntimeAdapterBuilder tlsVerify(boolean tlsVerify) {
    this.tlsVerify = tlsVerify;
    return this;
  }

  /**
   * Directory with {@code ca.pem}, {@code cert.pem}, {@code key.pem}; default {@code
   * DOCKER_CERT_PATH}, else {@code ~/.docker}.
   */
  public DockerRuntimeAdapterBuilder certPath(Path certPath) {
    this.certPath = certPath;
    return this;
  }

  /**
   * Where the deploy history lives (files 0600: specs carry secrets); default {@code
   * ~/.syntra/docker}.
   */
  public DockerRuntimeAdapterBuilder stateDir(Path stateDir) {
    this.stateDir = stateDir;
    return this;
  }

  /** Traefik file-provider directory for canary weights; default {@code <stateDir>/traefik}. */
  public DockerRuntimeAdapterBuilder traefikDynamicConfigDir(Path dir) {
    this.traefikDynamicConfigDir = dir;
    return this;
  }

  /**
   * Name or id of the Traefik container (docker provider) to connect to every project network the
   * adapter creates, so Traefik reaches the replicas of each project; default none (then connect
   * Traefik to the {@code syn-<organization>-<project>} networks yourself).
   */
  public DockerRuntimeAdapterBuilder traefikContainer(String nameOrId) {
    this.traefikContainer = nameOrId;
    return this;
  }

  /** Time source of deploy durations and health deadlines; default the UTC system clock. */
  public DockerRuntimeAdapterBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * How often a starting replica is probed between the health check's counted intervals; default
   * 250 ms.
   */
  public DockerRuntimeAdapterBuilder healthProbePollInterval(Duration interval) {
    this.healthProbePollInterval = positive(interval, "healthProbePollInterval");
    return this;
  }

  /** How long a replica without health check must keep running to count as healthy; default 1 s. */
  public DockerRuntimeAdapterBuilder noHealthCheckGrace(Duration grace) {
    this.noCheckGrace = positive(grace, "noHealthCheckGrace");
    return this;
  }

  /** Longest wait for proxied connections of a retired replica to end; default 30 s. */
  public DockerRuntimeAdapterBuilder drainTimeout(Duration timeout) {
    this.drainTimeout = positive(timeout, "drainTimeout");
    return this;
  }

  /** Grace period of {@code docker stop} before Docker kills a replica; default 10 s. */
  public DockerRuntimeAdapterBuilder stopTimeout(Duration timeout) {
    this.stopTimeout = positive(timeout, "stopTimeout");
    return this;
  }

  /** Longest image pull; default 10 min. */
  public DockerRuntimeAdapterBuilder pullTimeout(Duration timeout) {
    this.pullTimeout = positive(timeout, "pullTimeout");
    return this;
  }

  /** Wait after rewriting Traefik's canary file before retiring replicas; default 3 s. */
  public DockerRuntimeAdapterBuilder traefikReloadDelay(Duration delay) {
    this.traefikReloadDelay = delay.isNegative() ? Duration.ZERO : delay;
    return this;
  }

  /** Open connections per published port before new ones are refused; default 4096. */
  public DockerRuntimeAdapterBuilder proxyMaxConnections(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("proxyMaxConnections: must be at least 1, was " + max);
    }
    this.proxyMaxConnections = max;
    return this;
  }

  /** Whether {@link #build()} re-opens the published ports of running services; default true. */
  public DockerRuntimeAdapterBuilder recoverOnStart(boolean recover) {
    this.recoverOnStart = recover;
    return this;
  }

  /**
   * Creates the adapter. Does not fail when the daemon is down (operations then throw {@link
   * RuntimeAdapterException.Unavailable}).
   */
  public DockerRuntimeAdapter build() {
    URI host = DockerClients.host(dockerHost);
    boolean tls = DockerClients.tlsVerify(tlsVerify);
    Path certs = DockerClients.certPath(certPath);
    DockerRuntimeAdapter adapter =
        new DockerRuntimeAdapter(this, DockerClients.create(host, tls, certs), host.toString());
    if (recoverOnStart) {
      adapter.recoverAll();
    }
    return adapter;
  }

  Path traefikDir() {
    return traefikDynamicConfigDir != null ? traefikDynamicConfigDir : stateDir.resolve("traefik");
  }

  private static Duration positive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": must be positive, was " + d);
    }
    return d;
  }

  @Override
  public String toString() {
    return "dockerHost="
        + (dockerHost == null ? "$DOCKER_HOST" : dockerHost)
        + ", stateDir="
        + stateDir
        + ", drainTimeout="
        + drainTimeout
        + ", stopTimeout="
        + stopTimeout
        + ", healthProbePollInterval="
        + healthProbePollInterval
        + ", noHealthCheckGrace="
        + noCheckGrace
        + ", proxyMaxConnections="
        + proxyMaxConnections;
  }
}
