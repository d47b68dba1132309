package dev.syntra.agent.cli;

import dev.syntra.agent.AgentVersion;
import dev.syntra.protocol.ProtocolVersion;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code syntra-agent version}: prints the agent and protocol versions. */
@Command(name = "version", description = "Print the agent version.")
final class VersionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("syntra-agent " + AgentVersion.current());
    System.out.println("protocol v" + ProtocolVersion.JSON_MAJOR);
    System.out.println("java " + Runtime.version() + " (" + System.getProperty("os.arch") + ")");
    return ExitCodes.OK;
  }
}
