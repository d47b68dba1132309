package dev.syntra.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real agent, as a separate JVM started from its distribution jar, with its output in a log
 * file. {@link #kill()} is SIGKILL: no shutdown hook runs.
 */
final class AgentProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private AgentProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** {@code syntra-agent run} with {@code args} after {@code run}. */
  static AgentProcess run(Path stateDir, List<String> args) throws IOException {
    // Receivers on free ports, so agents of several tests (or two at once) never collide.
    return run(
        stateDir,
        args,
        java.util.Map.of(
            "SYNTRA_OTLP_GRPC_PORT", String.valueOf(ControlPlane.freePort()),
            "SYNTRA_OTLP_HTTP_PORT", String.valueOf(ControlPlane.freePort())));
  }

  /** {@code syntra-agent run} with {@code args} and these environment variables added. */
  static AgentProcess run(Path stateDir, List<String> args, java.util.Map<String, String> env)
      throws IOException {
    Path jar = Path.of(System.getProperty("syntra.agent.jar", "missing-syntra.agent.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the agent distribution jar " + jar + " is missing: run `mvn package` first");
    }
    Files.createDirectories(stateDir.getParent());
    // Logs outlive the test's temp dirs: target/agent-logs, for reading after a failure.
    Path logs = Files.createDirectories(Path.of("target", "agent-logs"));
    Path log =
        logs.resolve(
            "agent-" + System.currentTimeMillis() + "-" + System.nanoTime() % 1000 + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-jar");
    command.add(jar.toString());
    command.add("run");
    command.add("--state-dir");
    command.add(stateDir.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    return new AgentProcess(process, log);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits for the process to exit on its own; its exit code, or -1 if it did not. */
  int awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL, and wait for it to be gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  Path log() {
    return log;
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
