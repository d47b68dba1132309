package dev.syntra.agent.cli;

import dev.syntra.agent.state.AgentIdentity;
import dev.syntra.agent.state.AgentStatus;
import dev.syntra.agent.state.IdentityStore;
import dev.syntra.agent.state.StateException;
import dev.syntra.agent.state.StatusFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code syntra-agent status}: what the running agent last wrote to its state directory. Exits 0
 * when the agent is connected, 1 when it is not (or not registered), 5 when the state is
 * unreadable.
 */
@Command(name = "status", description = "Show the agent's identity and connection state.")
final class StatusCommand implements Callable<Integer> {
  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "State directory (default: $SYNTRA_AGENT_STATE_DIR or /var/lib/syntra-agent).")
  Path stateDir;

  @Override
  public Integer call() {
    Path dir = stateDir != null ? stateDir : RunCommand.defaultStateDir();
    PrintStream out = System.out;
    try {
      Optional<AgentIdentity> identity = new IdentityStore(dir).load();
      Optional<AgentStatus> status = new StatusFile(dir).read();
      out.println("state directory: " + dir);
      if (identity.isEmpty()) {
        out.println("agent id:        (not registered)");
      } else {
        out.println("agent id:        " + identity.get().agentId());
        out.println("server id:       " + identity.get().serverId());
        out.println("registered:      " + identity.get().registeredAt());
      }
      if (status.isEmpty()) {
        out.println("connection:      unknown (the agent has not run with this state directory)");
        return ExitCodes.FAILED;
      }
      AgentStatus s = status.get();
      boolean alive = ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
      out.println("process:         " + s.pid() + (alive ? " (running)" : " (not running)"));
      out.println("version:         " + s.version() + " on " + s.runtime());
      out.println(
          "connected:       " + (s.connected() && alive ? "yes" : "no") + " since " + s.since());
      if (s.lastError() != null) {
        out.println("last error:      " + s.lastError());
      }
      out.println(
          "outbox:          " + s.outboxSize() + " waiting, " + s.outboxDropped() + " dropped");
      out.println(
          "journal:         " + s.journalSize() + " commands, " + s.journalDropped() + " dropped");
      out.println("log lines:       " + s.logLinesDropped() + " dropped");
      out.println("replays refused: " + s.replayRefused());
      s.telemetry().forEach((name, value) -> out.printf("telemetry:       %s %d%n", name, value));
      out.println("status written:  " + s.updatedAt());
      return s.connected() && alive ? ExitCodes.OK : ExitCodes.FAILED;
    } catch (StateException e) {
      System.err.println("syntra-agent: " + e.getMessage());
      return ExitCodes.STATE;
    }
  }
}
