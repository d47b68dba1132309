package dev.syntra.agent.cli;

import dev.syntra.agent.Agent;
import dev.syntra.agent.AgentConfig;
import dev.syntra.agent.AgentExit;
import dev.syntra.agent.runtime.RuntimeSelectionException;
import dev.syntra.agent.runtime.RuntimeSelector;
import dev.syntra.agent.state.AtomicFiles;
import dev.syntra.agent.state.StateException;
import dev.syntra.agent.systemd.SystemdNotifier;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code syntra-agent run}: runs the agent in the foreground until SIGTERM or until the control
 * plane refuses its token. Settings come from the flags, then the environment ({@code
 * SYNTRA_AGENT_TOKEN}, {@code SYNTRA_AGENT_STATE_DIR}), then the config file, then defaults; the
 * registration token as {@link RegistrationTokenSource} says.
 */
@Command(name = "run", description = "Connect to the control plane and run its commands.")
final class RunCommand implements Callable<Integer> {
  static final Path DEFAULT_CONFIG = Path.of("/etc/syntra/agent.conf");

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "Control-plane hub, e.g. wss://syntra.example.com:7443/agent/v1.")
  @Nullable String endpoint;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "File whose first line is the one-time registration token (or $SYNTRA_AGENT_TOKEN, or"
              + " token_file=/token= in the config file). Only read until the agent is registered.")
  @Nullable Path tokenFile;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "The registration token itself. Development only: other users see it in ps; use"
              + " --token-file or $SYNTRA_AGENT_TOKEN.")
  @Nullable String token;

  @Option(
      names = "--ca-sha256",
      paramLabel = "HEX",
      description =
          "SHA-256 of the control plane's CA certificate (DER). Without it the JDK's"
              + " public CAs and host-name verification are used.")
  @Nullable String caSha256;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "State directory (default: $SYNTRA_AGENT_STATE_DIR or /var/lib/syntra-agent).")
  @Nullable Path stateDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Config file of key=value lines (default: /etc/syntra/agent.conf, if present).")
  @Nullable Path configFile;

  @Option(
      names = "--runtime",
      paramLabel = "NAME",
      description = "auto (default), docker or kubernetes.")
  @Nullable String runtime;

  @Option(
      names = "--allow-insecure-ws",
      description = "Allow a plain ws:// endpoint. For local development only.")
  boolean allowInsecureWs;

  @Override
  public Integer call() {
    ConfigFile file;
    AgentConfig config;
    try {
      file =
          configFile != null
              ? ConfigFile.read(configFile, true)
              : ConfigFile.read(DEFAULT_CONFIG, false);
      config = config(file);
    } catch (IllegalArgumentException | IOException e) {
      return fail(ExitCodes.USAGE, e.getMessage());
    }
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    RuntimeAdapter adapter;
    try {
      Path runtimeDir = config.stateDir().resolve("runtime");
      AtomicFiles.createPrivateDirectory(runtimeDir);
      Map<String, String> settings = new HashMap<>(System.getenv());
      settings.putAll(file.runtimeSettings());
      adapter =
          RuntimeSelector.fromClassPath()
              .create(config.runtime(), new RuntimeEnvironment(runtimeDir, settings));
    } catch (RuntimeSelectionException e) {
      return fail(ExitCodes.NO_RUNTIME, e.getMessage());
    } catch (IOException e) {
      return fail(ExitCodes.STATE, "cannot create " + config.stateDir() + ": " + e.getMessage());
    }
    Agent agent;
    try {
      agent = Agent.create(config, adapter);
    } catch (IllegalArgumentException e) {
      adapter.close();
      return fail(ExitCodes.USAGE, e.getMessage());
    } catch (StateException e) {
      adapter.close();
      return fail(ExitCodes.STATE, e.getMessage());
    }
    SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
    Thread hook =
        new Thread(
            () -> {
              systemd.stopping();
              agent.close();
            },
            "syntra-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      agent.start();
    } catch (java.io.UncheckedIOException e) {
      // A receiver port is taken or the spool unusable: say which and stop. Exit 2, like a bad
      // agent.conf: the unit does not restart it (RestartPreventExitStatus) until it is fixed.
      agent.close();
      return fail(ExitCodes.USAGE, e.getMessage() + ": " + e.getCause().getMessage());
    }
    systemd.ready();
    ScheduledExecutorService watchdog = startWatchdog(systemd, agent);
    AgentExit exit;
    try {
      exit = agent.exit().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      agent.close();
      return ExitCodes.FAILED;
    } catch (ExecutionException e) {
      agent.close();
      return fail(ExitCodes.FAILED, String.valueOf(e.getCause()));
    }
    if (watchdog != null) {
      watchdog.shutdownNow();
    }
    systemd.stopping();
    agent.close();
    return switch (exit.kind()) {
      case STOPPED -> ExitCodes.OK;
      case REJECTED -> {
        log.error("Stopping: {}", exit.message());
        yield fail(ExitCodes.REJECTED, exit.message());
      }
      case FAILED -> fail(ExitCodes.FAILED, exit.message());
    };
  }

  /**
   * Pings systemd's watchdog (when the unit asks for one) while the agent's threads respond, so a
   * hung agent is restarted by systemd. A lost connection is not a hang.
   */
  private static @Nullable ScheduledExecutorService startWatchdog(
      SystemdNotifier systemd, Agent agent) {
    Optional<Duration> interval = systemd.watchdogInterval();
    if (interval.isEmpty()) {
      return null;
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "syntra-watchdog");
          t.setDaemon(true);
          return t;
        });
    long periodMs = interval.get().toMillis();
    String[] shown = {""};
    timer.scheduleAtFixedRate(
        () -> {
          if (agent.healthy(Duration.ofMillis(Math.max(1000, periodMs / 2)))) {
            systemd.watchdog();
            String status = agent.status().connected() ? "connected" : "disconnected; reconnecting";
            if (!status.equals(shown[0]) && systemd.status(status)) {
              shown[0] = status; // only on change: each notification is a child process
            }
          }
        },
        0,
        periodMs,
        TimeUnit.MILLISECONDS);
    return timer;
  }

  private AgentConfig config(ConfigFile file) {
    String url = firstOf(endpoint, null, file.get("endpoint").orElse(null));
    URI uri = null;
    if (url != null) {
      try {
        uri = new URI(url.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("--endpoint is not a URL: " + e.getMessage());
      }
    }
    String dir =
        firstOf(
            stateDir == null ? null : stateDir.toString(),
            System.getenv("SYNTRA_AGENT_STATE_DIR"),
            file.get("state_dir").orElse(null));
    Path state = dir == null ? AgentConfig.DEFAULT_STATE_DIR : Path.of(dir);
    AgentConfig.Builder builder =
        AgentConfig.builder()
            .registrationToken(
                RegistrationTokenSource.resolve(
                    token, tokenFile, System.getenv("SYNTRA_AGENT_TOKEN"), file, state, System.err))
            .caSha256(firstOf(caSha256, null, file.get("ca_sha256").orElse(null)))
            .stateDir(state)
            .runtime(firstOf(runtime, null, file.get("runtime").orElse("auto")))
            .allowInsecureWs(allowInsecureWs || file.flag("allow_insecure_ws").orElse(false))
            .telemetry(TelemetryOptions.read(file, System.getenv(), state));
    if (uri != null) {
      builder.endpoint(uri);
    }
    return builder.build();
  }

  static Path defaultStateDir() {
    String env = System.getenv("SYNTRA_AGENT_STATE_DIR");
    return env == null || env.isBlank() ? AgentConfig.DEFAULT_STATE_DIR : Path.of(env);
  }

  private static @Nullable String firstOf(@Nullable String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return null;
  }

  private static int fail(int code, @Nullable String message) {
    System.err.println("syntra-agent: " + message);
    return code;
  }
}
