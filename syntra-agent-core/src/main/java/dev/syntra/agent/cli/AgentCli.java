package dev.syntra.agent.cli;

import dev.syntra.agent.AgentVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code syntra-agent}: the command line of the Syntra agent, with the subcommands {@code run},
 * {@code status} and {@code version}. Exit codes are listed in {@link ExitCodes}.
 */
@Command(
    name = "syntra-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentCli.Version.class,
    description = "Runs a server's workloads for the Syntra control plane.",
    subcommands = {RunCommand.class, StatusCommand.class, VersionCommand.class})
public final class AgentCli implements Runnable {

  /** Entry point; exits with the subcommand's exit code. */
  public static void main(String[] args) {
    configureLogging();
    System.exit(execute(args));
  }

  /** Runs the command line without exiting the JVM; returns the exit code. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new AgentCli());
    commandLine.setExitCodeExceptionMapper(e -> ExitCodes.USAGE);
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** slf4j-simple defaults for a service: timestamps, thread names, quiet Netty. */
  private static void configureLogging() {
    defaultProperty("org.slf4j.simpleLogger.showDateTime", "true");
    defaultProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    defaultProperty("org.slf4j.simpleLogger.log.io.netty", "warn");
    defaultProperty("org.slf4j.simpleLogger.log.com.github.dockerjava", "warn");
    defaultProperty("org.slf4j.simpleLogger.log.org.apache.hc", "warn");
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Supplies {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"syntra-agent " + AgentVersion.current()};
    }
  }
}
