package dev.syntra.server.deploy;

import dev.syntra.server.cluster.DatabaseNotifications;
import org.springframework.stereotype.Component;

/**
 * Nudges this instance's deployment event streams when any instance records an event of their
 * deployment (an agent connected to another instance reports it there): a trigger on {@code
 * deployment_events} notifies with the deployment id. The streams also poll every second, so a lost
 * notification only delays an event.
 */
@Component
final class DeploymentEventNotifications {
  /** Payload: the deployment id of a new deployment event. */
  static final String CHANNEL = "syntra_deployment_events";

  DeploymentEventNotifications(DeploymentStreams streams, DatabaseNotifications notifications) {
    notifications.subscribeToIds(CHANNEL, streams::changed);
  }
}
