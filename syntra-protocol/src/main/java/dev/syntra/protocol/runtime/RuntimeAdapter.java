package dev.syntra.protocol.runtime;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs services on one kind of runtime (Docker, Kubernetes). The agent turns control-plane commands
 * into calls on an adapter; every runtime behaves the same from the outside, which the shared
 * contract test suite checks.
 *
 * <p>Methods block until the operation completes and may be called from several threads; adapters
 * serialise operations on the same service themselves. Every failure is a {@link
 * RuntimeAdapterException} with a {@link RuntimeErrorCode}. A failed deploy leaves the previous
 * version serving and removes what it created.
 */
public interface RuntimeAdapter extends AutoCloseable {

  /** Short runtime name as sent in {@code agent_hello}: {@code docker} or {@code kubernetes}. */
  String runtimeName();

  /**
   * Deploys {@code spec} with its strategy: pulls the image, starts the new replicas, waits for
   * them to be healthy, switches traffic and retires the old version. On health failure it rolls
   * back automatically and throws {@link RuntimeAdapterException.HealthCheckFailed}.
   */
  DeployResult deploy(DeploySpec spec, DeployListener listener);

  /** {@link #deploy(DeploySpec, DeployListener)} without progress reporting. */
  default DeployResult deploy(DeploySpec spec) {
    return deploy(spec, DeployListener.NOOP);
  }

  /** Stops and removes every replica of the service; a no-op for an unknown service. */
  void stop(ServiceRef service);

  /** Changes the replica count: new replicas are health-gated, removed ones stop gracefully. */
  void scale(ServiceRef service, int replicas);

  /** Restarts every replica, one at a time when there is more than one. */
  void restart(ServiceRef service);

  /**
   * Reads log lines of every replica into {@code sink}, in order per replica. Returns at once; the
   * sink is called on an adapter thread until the read completes or the subscription is closed.
   */
  LogSubscription logs(ServiceRef service, LogOptions options, Consumer<LogLine> sink);

  /** Current state of the service; {@link ServiceStatus.State#NOT_FOUND} if it is not deployed. */
  ServiceStatus status(ServiceRef service);

  /** Runs {@code command} (argv, no shell) in a replica, bounded by {@code options}. */
  ExecResult exec(ServiceRef service, List<String> command, ExecOptions options);

  /**
   * Redeploys the image and env of an earlier deployment from the local history, as the new
   * deployment {@code deploymentId} (the id the control plane created for the rollback). Throws
   * {@link RuntimeAdapterException.DeploymentNotFound} when the target is not in the history and
   * {@link RuntimeAdapterException.Conflict} when {@code deploymentId} is already used.
   */
  DeployResult rollback(
      ServiceRef service, String targetDeploymentId, String deploymentId, DeployListener listener);

  /** One resource sample per running replica. */
  List<ContainerMetrics> metrics(ServiceRef service);

  /**
   * Streams events about managed replicas (out-of-memory kills, unexpected exits) to {@code sink}
   * on an adapter thread until the returned handle is closed. Runtimes that cannot watch throw
   * {@link RuntimeAdapterException} with {@link RuntimeErrorCode#UNSUPPORTED}.
   */
  default AutoCloseable watchEvents(Consumer<RuntimeEvent> sink) {
    throw new RuntimeAdapterException(
        RuntimeErrorCode.UNSUPPORTED, runtimeName() + " does not report runtime events");
  }

  /** Releases clients and threads; idempotent. Running services keep running. */
  @Override
  void close();
}
