package dev.syntra.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import dev.syntra.runtime.k8s.internal.Names;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two organizations with equal project and service slugs on one cluster: separate namespaces, and
 * the ownership check (which includes the organization) keeps either from changing, deleting or
 * adopting the other's objects, wherever they are found.
 */
@ExtendWith(LocalRegistryAvailable.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationIsolationTest {
  private final SimulatedCluster cluster = new SimulatedCluster();
  private final KubernetesClient k8s = cluster.client();
  private final KubernetesRuntimeAdapter adapter =
      KubernetesRuntimeAdapter.builder()
          .client(k8s)
          .pollInterval(Duration.ofMillis(50))
          .rolloutTimeout(Duration.ofSeconds(60))
          .stopTimeout(Duration.ofSeconds(20))
          .build();

  @AfterAll
  void close() {
    adapter.close();
    cluster.close();
  }

  private static String project() {
    return "iso-" + ThreadLocalRandom.current().nextInt(1 << 24);
  }

  private static DeploySpec spec(ServiceRef service, String version) {
    return DeploySpec.builder(
            "dep-" + ThreadLocalRandom.current().nextInt(1 << 30),
            service,
            SimulatedCluster.REGISTRY + "/syntra-test/httpd:" + version)
        .port(PortMapping.tcp(8080))
        .healthCheck(HealthCheck.http("/health", 8080))
        .build();
  }

  @Test
  void equalSlugsOfTwoOrganizationsRunSideBySideAndStopIndependently() {
    String project = project();
    ServiceRef a = new ServiceRef("acme", project, "web");
    ServiceRef b = new ServiceRef("globex", project, "web");

    adapter.deploy(spec(a, "1"));
    DeploySpec specB = spec(b, "2");
    adapter.deploy(specB);

    assertThat(Names.namespace(a)).isEqualTo("syn-acme-" + project);
    assertThat(Names.namespace(b)).isEqualTo("syn-globex-" + project);
    assertThat(k8s.namespaces().withName(Names.namespace(a)).get().getMetadata().getLabels())
        .containsEntry("syntra.organization", "acme")
        .containsEntry("syntra.project", project);
    assertThat(
            k8s.apps()
                .deployments()
                .inNamespace(Names.namespace(b))
                .withName("web-blue")
                .get()
                .getMetadata()
                .getLabels())
        .containsEntry("syntra.organization", "globex");
    assertThat(cluster.get(Names.namespace(a), "web", "/version")).isEqualTo("1\n");
    assertThat(cluster.get(Names.namespace(b), "web", "/version")).isEqualTo("2\n");

    adapter.stop(a);

    assertThat(adapter.status(a).state()).isEqualTo(ServiceStatus.State.NOT_FOUND);
    ServiceStatus stillThere = adapter.status(b);
    assertThat(stillThere.state()).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(stillThere.deploymentId()).isEqualTo(specB.deploymentId());
    assertThat(k8s.services().inNamespace(Names.namespace(b)).withName("web").get()).isNotNull();
    adapter.stop(b);
  }

  @Test
  void neverAdoptsAnObjectOfAnotherOrganizationWithTheSameProjectAndService() {
    String project = project();
    ServiceRef mine = new ServiceRef("globex", project, "web");
    String ns = Names.namespace(mine);
    k8s.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    // A managed object of organization "acme" with the same project and service slugs, in the
    // namespace organization "globex" deploys to (placed by hand, or left by a name clash).
    Map<String, String> foreign = new LinkedHashMap<>();
    foreign.put("syntra.managed", "true");
    foreign.put("syntra.organization", "acme");
    foreign.put("syntra.project", project);
    foreign.put("syntra.service", "web");
    k8s.services()
        .inNamespace(ns)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("web")
                .withLabels(foreign)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .create();

    assertThatThrownBy(() -> adapter.deploy(spec(mine, "1")))
        .isInstanceOf(RuntimeAdapterException.Conflict.class)
        .hasMessageContaining("Service " + ns + "/web")
        .hasMessageContaining("belongs to another organization")
        .hasMessageNotContaining("acme");

    Service untouched = k8s.services().inNamespace(ns).withName("web").get();
    assertThat(untouched.getMetadata().getLabels()).isEqualTo(foreign);
    assertThat(untouched.getSpec().getPorts().getFirst().getPort()).isEqualTo(80);
    assertThat(k8s.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    // Stopping "globex"'s service leaves "acme"'s object alone too.
    adapter.stop(mine);
    assertThat(k8s.services().inNamespace(ns).withName("web").get()).isNotNull();
  }

  @Test
  void aNamespaceLabelledForAnotherOrganizationIsAConflict() {
    String project = project();
    ServiceRef mine = new ServiceRef("globex", project, "web");
    String ns = Names.namespace(mine);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("syntra.managed", "true");
    labels.put("syntra.organization", "acme");
    labels.put("syntra.project", project);
    k8s.namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();

    assertThatThrownBy(() -> adapter.deploy(spec(mine, "1")))
        .isInstanceOf(RuntimeAdapterException.Conflict.class)
        .hasMessageContaining("Namespace " + ns);
    assertThat(k8s.secrets().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(k8s.namespaces().withName(ns).get().getMetadata().getLabels()).isEqualTo(labels);
  }
}
