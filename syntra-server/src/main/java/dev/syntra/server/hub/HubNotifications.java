package dev.syntra.server.hub;

import dev.syntra.server.cluster.DatabaseNotifications;
import org.springframework.stereotype.Component;

/**
 * What other instances of the control plane tell this hub through the database (triggers of
 * migration V12): a command was queued for a server (deliver it now if its agent is connected
 * here), a server was deleted or its agent revoked (close its link if it is here), and the agent
 * opened a new link (close an older one still held here). Without them the hub still polls for
 * commands every second.
 */
@Component
final class HubNotifications {
  /** Payload: the server id of a newly queued agent command. */
  static final String COMMANDS = "syntra_agent_commands";

  /** Payload: the server id whose agent link must close. */
  static final String DISCONNECT = "syntra_agent_disconnect";

  /** Payload: the server id whose agent has just opened a new link. */
  static final String LINK = "syntra_agent_link";

  HubNotifications(AgentHub hub, DatabaseNotifications notifications) {
    notifications.subscribeToIds(COMMANDS, hub::wake);
    notifications.subscribeToIds(DISCONNECT, hub::disconnect);
    notifications.subscribeToIds(LINK, hub::linkChanged);
  }
}
