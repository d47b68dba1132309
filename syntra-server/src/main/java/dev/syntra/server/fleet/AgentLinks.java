package dev.syntra.server.fleet;

import java.util.UUID;

/** The live links of agents, as the hub holds them; fleet cuts a link when it drops a server. */
public interface AgentLinks {
  /** Closes the link of {@code serverId}'s agent, if one is connected. Call after commit. */
  void disconnect(UUID serverId);
}
