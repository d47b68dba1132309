package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.time.Duration;

/** Outcome of a successful deploy or rollback: the deployment now serving and how long it took. */
public record DeployResult(String deploymentId, ServiceStatus status, Duration elapsed) {
  public DeployResult {
    Checks.identifier(deploymentId, "deployment_id");
    Checks.notNull(status, "status");
    Checks.notNull(elapsed, "elapsed");
  }
}
