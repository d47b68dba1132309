package dev.syntra.runtime.docker.internal.rollout;

import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.ServiceRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports deploy progress to a {@link DeployListener} and the log. What the listener throws is
 * logged and ignored, as {@link DeployListener} promises. Used on the deploying thread only.
 */
public final class Progress {
  private static final Logger log = LoggerFactory.getLogger(Progress.class);

  private final ServiceRef service;
  private final String deploymentId;
  private final DeployListener listener;

  public Progress(ServiceRef service, String deploymentId, DeployListener listener) {
    this.service = service;
    this.deploymentId = deploymentId;
    this.listener = listener;
  }

  /** Reports entering {@code phase}. */
  public void report(DeployPhase phase, String message) {
    log.debug("{} {}: {} {}", service, deploymentId, phase, message);
    try {
      listener.onProgress(phase, message);
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      log.warn("Deploy listener of {} {} failed on {}", service, deploymentId, phase, t);
    }
  }
}
