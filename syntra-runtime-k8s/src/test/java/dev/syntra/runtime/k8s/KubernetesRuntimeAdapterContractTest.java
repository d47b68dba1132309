package dev.syntra.runtime.k8s;

import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterContract;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.k8s.internal.Names;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shared runtime contract on fabric8's mock API server in CRUD mode, with {@link
 * SimulatedCluster} playing controller, kubelet, kube-proxy and metrics-server. Requests reach a
 * service through its Kubernetes Service (the simulated kube-proxy), not a host port: Kubernetes
 * does not publish host ports, so {@link #publishesHostPorts()} is false.
 */
@ExtendWith(LocalRegistryAvailable.class)
class KubernetesRuntimeAdapterContractTest extends RuntimeAdapterContract {
  private final SimulatedCluster cluster = new SimulatedCluster();
  private final KubernetesRuntimeAdapter adapter =
      KubernetesRuntimeAdapter.builder()
          .client(cluster.client())
          .pollInterval(Duration.ofMillis(50))
          .rolloutTimeout(Duration.ofSeconds(60))
          .stopTimeout(Duration.ofSeconds(20))
          .build();
  private int nextPort = 20000;

  @Override
  protected RuntimeAdapter adapter() {
    return adapter;
  }

  @Override
  protected String image(String name, String version) {
    return SimulatedCluster.REGISTRY + "/syntra-test/" + name + ":" + version;
  }

  @Override
  protected String get(ServiceRef service, int port, String path) {
    return cluster.get(Names.namespace(service), service.service(), path);
  }

  @Override
  protected synchronized int freeHostPort() {
    return nextPort++;
  }

  @Override
  protected Set<DeployStrategy> strategies() {
    return EnumSet.allOf(DeployStrategy.class);
  }

  @Override
  protected boolean publishesHostPorts() {
    return false;
  }

  @AfterAll
  void closeCluster() {
    adapter.close();
    cluster.close();
  }
}
