package dev.syntra.agent;

import dev.syntra.agent.link.BackoffPolicy;
import dev.syntra.agent.link.LinkConfig;
import dev.syntra.agent.pipeline.PipelineConfig;
import dev.syntra.protocol.ProtocolLimits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything an {@link Agent} needs. Built with {@link #builder()}; {@code build()} validates and
 * fails with a message that says what to fix. Immutable; {@code toString()} hides the token.
 */
public final class AgentConfig {
  /** Default state directory. */
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/syntra-agent");

  private final LinkConfig link;
  private final @Nullable String registrationToken;
  private final Path stateDir;
  private final String runtime;
  private final int commandThreads;
  private final int maxPendingCommands;
  private final int outboxMaxMessages;
  private final int journalMaxFinished;
  private final Duration journalMaxAge;
  private final Duration statusInterval;
  private final Duration shutdownGrace;
  private final Path procRoot;
  private final Path osRelease;
  private final PipelineConfig telemetry;

  private AgentConfig(Builder b, LinkConfig link, PipelineConfig telemetry) {
    this.telemetry = telemetry;
    this.link = link;
    this.registrationToken = b.registrationToken;
    this.stateDir = b.stateDir;
    this.runtime = b.runtime;
    this.commandThreads = b.commandThreads;
    this.maxPendingCommands = b.maxPendingCommands;
    this.outboxMaxMessages = b.outboxMaxMessages;
    this.journalMaxFinished = b.journalMaxFinished;
    this.journalMaxAge = b.journalMaxAge;
    this.statusInterval = b.statusInterval;
    this.shutdownGrace = b.shutdownGrace;
    this.procRoot = b.procRoot;
    this.osRelease = b.osRelease;
  }

  public static Builder builder() {
    return new Builder();
  }

  public LinkConfig link() {
    return link;
  }

  /** The one-time registration token; only used until the agent has a credential. */
  public @Nullable String registrationToken() {
    return registrationToken;
  }

  public Path stateDir() {
    return stateDir;
  }

  /** {@code auto}, {@code docker} or {@code kubernetes}. */
  public String runtime() {
    return runtime;
  }

  public int commandThreads() {
    return commandThreads;
  }

  public int maxPendingCommands() {
    return maxPendingCommands;
  }

  public int outboxMaxMessages() {
    return outboxMaxMessages;
  }

  public int journalMaxFinished() {
    return journalMaxFinished;
  }

  public Duration journalMaxAge() {
    return journalMaxAge;
  }

  public Duration statusInterval() {
    return statusInterval;
  }

  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  public Path procRoot() {
    return procRoot;
  }

  public Path osRelease() {
    return osRelease;
  }

  /** The telemetry pipeline: receivers, buffer and spool, sampling, collectors. */
  public PipelineConfig telemetry() {
    return telemetry;
  }

  @Override
  public String toString() {
    return "AgentConfig[endpoint="
        + link.endpoint()
        + ", caSha256="
        + (link.caSha256() == null ? "none (public CAs)" : link.caSha256())
        + ", token="
        + (registrationToken == null ? "none" : "***")
        + ", stateDir="
        + stateDir
        + ", runtime="
        + runtime
        + "]";
  }

  /** Builder; every setting but the endpoint has a default. Not thread-safe. */
  public static final class Builder {
    private @Nullable URI endpoint;
    private @Nullable String registrationToken;
    private @Nullable String caSha256;
    private boolean allowInsecureWs;
    private Path stateDir = DEFAULT_STATE_DIR;
    private String runtime = "auto";
    private Duration pingInterval = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofSeconds(90);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration helloTimeout = Duration.ofSeconds(30);
    private BackoffPolicy backoff = BackoffPolicy.DEFAULT;
    private Duration stableSession = Duration.ofSeconds(60);
    private int maxMessageBytes = ProtocolLimits.MAX_TEXT_MESSAGE_BYTES;
    private int commandThreads = 4;
    private int maxPendingCommands = 1000;
    private int outboxMaxMessages = 10_000;
    private int journalMaxFinished = 1000;
    private Duration journalMaxAge = Duration.ofDays(7);
    private Duration statusInterval = Duration.ofSeconds(5);
    private Duration shutdownGrace = Duration.ofSeconds(10);
    private Path procRoot = Path.of("/proc");
    private Path osRelease = Path.of("/etc/os-release");
    private @Nullable PipelineConfig telemetry;

    private Builder() {}

    /** The hub URL, e.g. {@code wss://syntra.example.com:7443/agent/v1}. Required. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    /** The one-time registration token ({@code syn_tkn_…}), needed only for the first start. */
    public Builder registrationToken(@Nullable String token) {
      this.registrationToken = token;
      return this;
    }

    /** SHA-256 of the control plane's CA certificate; unset: the JDK's public CAs. */
    public Builder caSha256(@Nullable String caSha256) {
      this.caSha256 = caSha256;
      return this;
    }

    /** Allow a plain {@code ws://} endpoint; for development and tests only. */
    public Builder allowInsecureWs(boolean allow) {
      this.allowInsecureWs = allow;
      return this;
    }

    /** Where identity, journal and status live; default {@code /var/lib/syntra-agent}. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /** {@code auto} (default), {@code docker} or {@code kubernetes}. */
    public Builder runtime(String runtime) {
      this.runtime = runtime;
      return this;
    }

    /** WebSocket ping period; default 30 s. */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = interval;
      return this;
    }

    /** Silence from the server after which the link is dead; default 90 s. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = timeout;
      return this;
    }

    /** TCP, TLS and WebSocket upgrade timeout; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** How long to wait for {@code hello_ok}; default 30 s. */
    public Builder helloTimeout(Duration timeout) {
      this.helloTimeout = timeout;
      return this;
    }

    /** Reconnect delays; default 1 s doubling to 60 s, ±20%. */
    public Builder backoff(BackoffPolicy backoff) {
      this.backoff = backoff;
      return this;
    }

    /** A session lasting this long resets the backoff; default 60 s. */
    public Builder stableSession(Duration duration) {
      this.stableSession = duration;
      return this;
    }

    /** Largest text message accepted from the server; default 4 MiB. */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * Threads of each command lane (one for deploys and rollbacks, one for everything else), so at
     * most twice this many commands run in parallel; default 4.
     */
    public Builder commandThreads(int threads) {
      this.commandThreads = threads;
      return this;
    }

    /** Commands waiting or running at most; default 1000. */
    public Builder maxPendingCommands(int max) {
      this.maxPendingCommands = max;
      return this;
    }

    /** Reports kept while disconnected; default 10,000 (oldest dropped beyond). */
    public Builder outboxMaxMessages(int max) {
      this.outboxMaxMessages = max;
      return this;
    }

    /** Finished commands the journal remembers; default 1000. */
    public Builder journalMaxFinished(int max) {
      this.journalMaxFinished = max;
      return this;
    }

    /** How long the journal remembers a finished command; default 7 days. */
    public Builder journalMaxAge(Duration age) {
      this.journalMaxAge = age;
      return this;
    }

    /** How often {@code status.json} is rewritten; default 5 s. */
    public Builder statusInterval(Duration interval) {
      this.statusInterval = interval;
      return this;
    }

    /** How long a stopping agent waits for running commands; default 10 s. */
    public Builder shutdownGrace(Duration grace) {
      this.shutdownGrace = grace;
      return this;
    }

    /** Root of the proc file system; default {@code /proc}. */
    public Builder procRoot(Path root) {
      this.procRoot = root;
      return this;
    }

    /** The os-release file; default {@code /etc/os-release}. */
    public Builder osRelease(Path file) {
      this.osRelease = file;
      return this;
    }

    /** The telemetry pipeline; default {@link PipelineConfig#defaults} in the state directory. */
    public Builder telemetry(PipelineConfig telemetry) {
      this.telemetry = telemetry;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException with a message naming the bad setting
     */
    public AgentConfig build() {
      if (endpoint == null) {
        throw new IllegalArgumentException(
            "no endpoint: pass --endpoint wss://<control-plane>:7443/agent/v1");
      }
      Objects.requireNonNull(stateDir, "stateDir");
      if (runtime == null || runtime.isBlank()) {
        throw new IllegalArgumentException("--runtime must not be empty");
      }
      if (commandThreads < 1
          || maxPendingCommands < 1
          || outboxMaxMessages < 1
          || journalMaxFinished < 1) {
        throw new IllegalArgumentException("agent bounds must be at least 1");
      }
      LinkConfig link =
          new LinkConfig(
              endpoint,
              caSha256 == null || caSha256.isBlank() ? null : caSha256,
              allowInsecureWs,
              pingInterval,
              idleTimeout,
              connectTimeout,
              helloTimeout,
              backoff,
              stableSession,
              maxMessageBytes);
      return new AgentConfig(
          this, link, telemetry != null ? telemetry : PipelineConfig.defaults(stateDir));
    }
  }
}
