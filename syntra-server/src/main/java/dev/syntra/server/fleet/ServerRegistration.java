package dev.syntra.server.fleet;

/**
 * A pending server with a fresh registration token, shown only this once, and the command that
 * installs the agent with it. The token registers one agent within 24 hours.
 */
public record ServerRegistration(
    ServerView server, String registrationToken, String installCommand) {

  @Override
  public String toString() {
    return "ServerRegistration[server=" + server.id() + ", registrationToken=***]";
  }
}
