package dev.syntra.agent.testing;

import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.DeployListener;
import dev.syntra.protocol.runtime.DeployPhase;
import dev.syntra.protocol.runtime.DeployResult;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.ExecResult;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.LogSubscription;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A runtime that keeps services in memory and records every call. It stands in for Docker or
 * Kubernetes in agent tests; the agent code under test is real.
 */
public final class InMemoryRuntime implements RuntimeAdapter {
  public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  public final Map<ServiceRef, ServiceStatus> services = new ConcurrentHashMap<>();
  public volatile @Nullable CountDownLatch deployGate;
  public volatile @Nullable RuntimeAdapterException nextDeployFailure;
  public final CountDownLatch deployEntered = new CountDownLatch(1);

  /** When set, {@code exec} prints this on stdout instead of echoing its command. */
  public volatile @Nullable String execStdout;

  /** When set, {@code exec} throws it (an unexpected failure inside the adapter). */
  public volatile @Nullable Error execError;

  private volatile boolean closed;

  @Override
  public String runtimeName() {
    return "memory";
  }

  /** A running service with {@code replicas} healthy replicas of {@code deploymentId}. */
  public static ServiceStatus running(ServiceRef service, String deploymentId, int replicas) {
    List<ReplicaStatus> list = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      list.add(
          new ReplicaStatus(
              "syn-" + service.project() + "-" + service.service() + "-" + i,
              deploymentId,
              ReplicaStatus.State.RUNNING,
              ReplicaStatus.Health.HEALTHY,
              0,
              null,
              Instant.now(),
              null));
    }
    return new ServiceStatus(
        service, ServiceStatus.State.RUNNING, deploymentId, replicas, list, null);
  }

  @Override
  public DeployResult deploy(DeploySpec spec, DeployListener listener) {
    calls.add("deploy " + spec.deploymentId());
    listener.onProgress(DeployPhase.PULLING, "pulling " + spec.image());
    listener.onProgress(DeployPhase.CREATING, "creating");
    listener.onProgress(DeployPhase.STARTING, "starting");
    deployEntered.countDown();
    CountDownLatch gate = deployGate;
    if (gate != null) {
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new RuntimeAdapterException.Timeout("test gate never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeAdapterException.Timeout("interrupted");
      }
    }
    RuntimeAdapterException failure = nextDeployFailure;
    if (failure != null) {
      nextDeployFailure = null;
      listener.onProgress(DeployPhase.ROLLED_BACK, failure.getMessage());
      throw failure;
    }
    listener.onProgress(DeployPhase.HEALTH_CHECKING, "1/1 healthy");
    ServiceStatus status = running(spec.service(), spec.deploymentId(), spec.replicas());
    services.put(spec.service(), status);
    listener.onProgress(DeployPhase.SWITCHING, "switching");
    listener.onProgress(DeployPhase.RUNNING, "running");
    return new DeployResult(spec.deploymentId(), status, Duration.ofMillis(1));
  }

  @Override
  public void stop(ServiceRef service) {
    calls.add("stop " + service);
    services.remove(service);
  }

  @Override
  public void scale(ServiceRef service, int replicas) {
    calls.add("scale " + service + " " + replicas);
    ServiceStatus old = services.get(service);
    if (old == null) {
      throw new RuntimeAdapterException.ServiceNotFound(service);
    }
    services.put(service, running(service, old.deploymentId(), replicas));
  }

  @Override
  public void restart(ServiceRef service) {
    calls.add("restart " + service);
  }

  @Override
  public LogSubscription logs(ServiceRef service, LogOptions options, Consumer<LogLine> sink) {
    calls.add("logs " + service);
    for (int i = 0; i < 3; i++) {
      sink.accept(new LogLine(Instant.now(), LogLine.Stream.STDOUT, "r0", "line " + i));
    }
    return new LogSubscription() {
      @Override
      public boolean awaitCompletion(Duration timeout) {
        return true;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public ServiceStatus status(ServiceRef service) {
    ServiceStatus status = services.get(service);
    return status != null
        ? status
        : new ServiceStatus(service, ServiceStatus.State.NOT_FOUND, null, 0, List.of(), null);
  }

  @Override
  public ExecResult exec(ServiceRef service, List<String> command, ExecOptions options) {
    calls.add("exec " + service + " " + command);
    Error error = execError;
    if (error != null) {
      throw error;
    }
    String stdout = execStdout;
    return new ExecResult(
        0,
        stdout != null ? stdout : String.join(" ", command) + "\n",
        stdout != null ? "warning\n" : "",
        false,
        false,
        Duration.ofMillis(3));
  }

  @Override
  public DeployResult rollback(
      ServiceRef service, String targetDeploymentId, String deploymentId, DeployListener listener) {
    calls.add("rollback " + targetDeploymentId + " as " + deploymentId);
    ServiceStatus status = running(service, deploymentId, 1);
    services.put(service, status);
    listener.onProgress(DeployPhase.RUNNING, "rolled back to " + targetDeploymentId);
    return new DeployResult(deploymentId, status, Duration.ofMillis(1));
  }

  @Override
  public List<ContainerMetrics> metrics(ServiceRef service) {
    return List.of();
  }

  public boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
