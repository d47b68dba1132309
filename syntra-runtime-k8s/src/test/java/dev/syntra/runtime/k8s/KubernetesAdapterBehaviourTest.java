package dev.syntra.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.Autoscaling;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.ExecOptions;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.LogLine;
import dev.syntra.protocol.runtime.LogOptions;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RolloutOptions;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import dev.syntra.runtime.k8s.internal.Names;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kubernetes-specific behaviour on the simulated cluster: the objects a deploy creates (labels,
 * probes, limits, env from the Secret, Traefik routing, HPA), canary weights, ownership, logs, exec
 * bounds, metrics, and cleanup after failures.
 */
@ExtendWith(LocalRegistryAvailable.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubernetesAdapterBehaviourTest {
  private static final ResourceDefinitionContext INGRESS_ROUTE =
      new ResourceDefinitionContext.Builder()
          .withGroup("traefik.io")
          .withVersion("v1alpha1")
          .withKind("IngressRoute")
          .withPlural("ingressroutes")
          .withNamespaced(true)
          .build();
  private static final ResourceDefinitionContext TRAEFIK_SERVICE =
      new ResourceDefinitionContext.Builder()
          .withGroup("traefik.io")
          .withVersion("v1alpha1")
          .withKind("TraefikService")
          .withPlural("traefikservices")
          .withNamespaced(true)
          .build();

  private final SimulatedCluster cluster = new SimulatedCluster();
  private final KubernetesClient k8s = cluster.client();
  private final KubernetesRuntimeAdapter adapter;

  KubernetesAdapterBehaviourTest() {
    for (var ctx : List.of(INGRESS_ROUTE, TRAEFIK_SERVICE)) {
      k8s.apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              new CustomResourceDefinitionBuilder()
                  .withNewMetadata()
                  .withName(ctx.getPlural() + ".traefik.io")
                  .endMetadata()
                  .withNewSpec()
                  .withGroup("traefik.io")
                  .withScope("Namespaced")
                  .withNewNames()
                  .withKind(ctx.getKind())
                  .withPlural(ctx.getPlural())
                  .endNames()
                  .addNewVersion()
                  .withName("v1alpha1")
                  .withServed(true)
                  .withStorage(true)
                  .endVersion()
                  .endSpec()
                  .build())
          .create();
    }
    adapter =
        KubernetesRuntimeAdapter.builder()
            .client(k8s)
            .pollInterval(Duration.ofMillis(50))
            .rolloutTimeout(Duration.ofSeconds(60))
            .stopTimeout(Duration.ofSeconds(20))
            .certResolver("le")
            .build();
  }

  @AfterAll
  void close() {
    adapter.close();
    cluster.close();
  }

  private static ServiceRef newService() {
    return new ServiceRef("k3x9a2", "kb-" + ThreadLocalRandom.current().nextInt(1 << 24), "web");
  }

  private static String image(String name, String version) {
    return SimulatedCluster.REGISTRY + "/syntra-test/" + name + ":" + version;
  }

  private static DeploySpec.Builder spec(ServiceRef service, String image) {
    return DeploySpec.builder("dep-" + ThreadLocalRandom.current().nextInt(1 << 30), service, image)
        .port(PortMapping.tcp(8080))
        .healthCheck(HealthCheck.http("/health", 8080))
        .rollout(new RolloutOptions(2, 1, 25));
  }

  @Test
  void deployCreatesLabelledObjectsWithProbesLimitsEnvSecretTraefikRoutesAndAnAutoscaler() {
    ServiceRef service = newService();
    DeploySpec spec =
        spec(service, image("httpd", "1"))
            .env("DATABASE_URL", "postgres://secret")
            .limits(new dev.syntra.protocol.runtime.ResourceLimits(500, 64L << 20))
            .domain("shop.example.com")
            .autoscaling(new Autoscaling(2, 5, 70))
            .build();

    adapter.deploy(spec);

    String ns = Names.namespace(service);
    var d = k8s.apps().deployments().inNamespace(ns).withName("web-blue").get();
    assertThat(d.getMetadata().getLabels())
        .containsEntry("syntra.managed", "true")
        .containsEntry("syntra.organization", service.organization())
        .containsEntry("syntra.project", service.project())
        .containsEntry("syntra.service", "web")
        .containsEntry("syntra.deployment", spec.deploymentId());
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(2);
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);
    var c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getLivenessProbe().getPeriodSeconds()).isEqualTo(5);
    assertThat(c.getResources().getLimits().get("cpu").toString()).isEqualTo("500m");
    assertThat(c.getResources().getRequests().get("memory").toString())
        .isEqualTo(Long.toString(64L << 20));
    assertThat(c.getEnv())
        .filteredOn(e -> !e.getName().equals("SYNTRA_NODE_IP"))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.getValue()).isNull();
          assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("DATABASE_URL");
        });
    var secret = k8s.secrets().inNamespace(ns).withName(e(c)).get();
    assertThat(secret.getMetadata().getLabels()).containsEntry("syntra.managed", "true");
    assertThat(k8s.services().inNamespace(ns).withName("web").get().getSpec().getSelector())
        .containsEntry("syntra.slot", "blue");
    GenericKubernetesResource route =
        k8s.genericKubernetesResources(INGRESS_ROUTE).inNamespace(ns).withName("web").get();
    assertThat(route.getMetadata().getLabels()).containsEntry("syntra.managed", "true");
    assertThat(k8s.getKubernetesSerialization().asJson(route.get("spec")))
        .contains("Host(`shop.example.com`)")
        .contains("\"certResolver\":\"le\"")
        .contains("websecure")
        .contains("\"priority\":20");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(k8s.namespaces().withName(ns).get().getMetadata().getLabels())
        .containsEntry("syntra.organization", service.organization());
    assertThat(
            k8s.network()
                .v1()
                .networkPolicies()
                .inNamespace(ns)
                .withName("syntra-isolation")
                .get()
                .getSpec()
                .getIngress())
        .hasSize(1);
    GenericKubernetesResource weighted =
        k8s.genericKubernetesResources(TRAEFIK_SERVICE).inNamespace(ns).withName("web").get();
    assertThat(k8s.getKubernetesSerialization().asJson(weighted.get("spec")))
        .contains("web-blue")
        .contains("\"weight\":100");
    var hpa =
        k8s.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("web").get();
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
    assertThat(
            hpa.getSpec().getMetrics().getFirst().getResource().getTarget().getAverageUtilization())
        .isEqualTo(70);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("web-blue");
    assertThatThrownBy(() -> adapter.scale(service, 3))
        .isInstanceOf(RuntimeAdapterException.Conflict.class)
        .hasMessageContaining("autoscal");

    adapter.stop(service);
    assertThat(k8s.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(k8s.services().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(k8s.genericKubernetesResources(INGRESS_ROUTE).inNamespace(ns).list().getItems())
        .isEmpty();
    assertThat(k8s.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).list().getItems())
        .isEmpty();
  }

  private static String e(io.fabric8.kubernetes.api.model.Container c) {
    return c.getEnv().stream()
        .filter(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
        .findFirst()
        .orElseThrow()
        .getValueFrom()
        .getSecretKeyRef()
        .getName();
  }

  @Test
  void podsReachTheAgentOnTheirNodeThroughTheDownwardApi() {
    ServiceRef service = newService();
    String endpoint = "http://$(SYNTRA_NODE_IP):4318";
    adapter.deploy(
        spec(service, image("httpd", "1"))
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
            .env("OTEL_SERVICE_NAME", "web")
            .env("SNEAKY", "http://user:pw@$(SYNTRA_NODE_IP):4318")
            .build());

    var d = k8s.apps().deployments().inNamespace(Names.namespace(service)).withName("web-blue");
    var env = d.get().getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
    // First, so that later values can refer to it.
    assertThat(env.getFirst().getName()).isEqualTo("SYNTRA_NODE_IP");
    assertThat(env.getFirst().getValue()).isNull();
    assertThat(env.getFirst().getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.hostIP");
    // Kubernetes expands $(VAR) only in plain values: the endpoint is one, the rest stay secret.
    var byName = new java.util.HashMap<String, io.fabric8.kubernetes.api.model.EnvVar>();
    env.forEach(v -> byName.put(v.getName(), v));
    assertThat(byName.get("OTEL_EXPORTER_OTLP_ENDPOINT").getValue()).isEqualTo(endpoint);
    assertThat(byName.get("OTEL_SERVICE_NAME").getValueFrom().getSecretKeyRef()).isNotNull();
    assertThat(byName.get("SNEAKY").getValue()).isNull();
    assertThat(byName.get("SNEAKY").getValueFrom().getSecretKeyRef()).isNotNull();
    adapter.stop(service);
  }

  @Test
  void aSpecThatSetsTheNodeVariableItselfKeepsIt() {
    ServiceRef service = newService();
    adapter.deploy(spec(service, image("httpd", "1")).env("SYNTRA_NODE_IP", "10.0.0.9").build());
    var env =
        k8s.apps()
            .deployments()
            .inNamespace(Names.namespace(service))
            .withName("web-blue")
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst()
            .getEnv();
    assertThat(env)
        .singleElement()
        .satisfies(v -> assertThat(v.getName()).isEqualTo("SYNTRA_NODE_IP"));
    assertThat(env.getFirst().getValueFrom().getSecretKeyRef()).isNotNull();
    adapter.stop(service);
  }

  @Test
  void canaryWeightsTheTraefikServiceAndPromoteMovesAllTraffic() {
    ServiceRef service = newService();
    adapter.deploy(spec(service, image("httpd", "1")).replicas(2).domain("c.example.com").build());
    DeploySpec v2 =
        spec(service, image("httpd", "2"))
            .replicas(2)
            .domain("c.example.com")
            .strategy(DeployStrategy.CANARY)
            .build();
    adapter.deploy(v2);
    String ns = Names.namespace(service);
    String weights =
        k8s.getKubernetesSerialization()
            .asJson(
                k8s.genericKubernetesResources(TRAEFIK_SERVICE)
                    .inNamespace(ns)
                    .withName("web")
                    .get()
                    .get("spec"));
    assertThat(weights)
        .contains("{\"name\":\"web-blue\",\"port\":8080,\"weight\":75}")
        .contains("{\"name\":\"web-green\",\"port\":8080,\"weight\":25}");
    assertThat(adapter.status(service).replicas()).hasSize(3);

    adapter.promoteCanary(service, dev.syntra.protocol.runtime.DeployListener.NOOP);

    ServiceStatus after = adapter.status(service);
    assertThat(after.state()).isEqualTo(ServiceStatus.State.RUNNING);
    assertThat(after.deploymentId()).isEqualTo(v2.deploymentId());
    assertThat(after.replicas()).hasSize(2);
    assertThat(k8s.apps().deployments().inNamespace(ns).list().getItems())
        .extracting(x -> x.getMetadata().getName())
        .containsExactly("web-green");
    adapter.stop(service);
  }

  @Test
  void neverChangesAnObjectItDoesNotOwn() {
    ServiceRef service = newService();
    String ns = Names.namespace(service);
    k8s.namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .endMetadata()
                .build())
        .create();
    k8s.services()
        .inNamespace(ns)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .create();

    assertThatThrownBy(() -> adapter.deploy(spec(service, image("httpd", "1")).build()))
        .isInstanceOf(RuntimeAdapterException.Conflict.class)
        .hasMessageContaining("Service " + ns + "/web")
        .hasMessageContaining("not managed by Syntra");

    assertThat(k8s.services().inNamespace(ns).withName("web").get().getMetadata().getLabels())
        .isNullOrEmpty();
    assertThat(k8s.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(k8s.secrets().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void failedFirstDeployRemovesEveryObjectAndTheNamespaceItCreated() {
    ServiceRef service = newService();
    assertThatThrownBy(() ->
            adapter.deploy(spec(service, image("crash", "1")).domain("f.example.com").build()))
        .isInstanceOf(RuntimeAdapterException.HealthCheckFailed.class)
        .hasMessageContaining("exited with status 3")
        .hasMessageContaining("CrashLoopBackOff");
    assertThatThrownBy(() -> adapter.deploy(spec(service, image("missing", "1")).build()))
        .isInstanceOf(RuntimeAdapterException.ImageNotFound.class);

    assertThat(k8s.namespaces().withName(Names.namespace(service)).get()).isNull();
    assertThat(
            k8s.apps()
                .deployments()
                .inAnyNamespace()
                .withLabel("syntra.project", service.project())
                .list()
                .getItems())
        .isEmpty();
    assertThat(
            k8s.secrets()
                .inAnyNamespace()
                .withLabel("syntra.project", service.project())
                .list()
                .getItems())
        .isEmpty();
    assertThat(
            k8s.services()
                .inAnyNamespace()
                .withLabel("syntra.project", service.project())
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void rollbackWithAUsedIdIsAConflictAndRedeploysUnderTheNewId() {
    ServiceRef service = newService();
    DeploySpec v1 = spec(service, image("httpd", "1")).env("MARK", "one").build();
    adapter.deploy(v1);
    DeploySpec v2 = spec(service, image("httpd", "2")).strategy(DeployStrategy.BLUE_GREEN).build();
    adapter.deploy(v2);

    assertThatThrownBy(
            () -> adapter.rollback(service, v1.deploymentId(), v2.deploymentId(), (p, m) -> {}))
        .isInstanceOf(RuntimeAdapterException.Conflict.class);
    var result = adapter.rollback(service, v1.deploymentId(), "rb-1", (p, m) -> {});

    assertThat(result.deploymentId()).isEqualTo("rb-1");
    assertThat(adapter.status(service).deploymentId()).isEqualTo("rb-1");
    assertThat(cluster.get(Names.namespace(service), "web", "/version")).isEqualTo("1\n");
    adapter.stop(service);
  }

  @Test
  void logsFollowTailAndSinceReachThePodLogEndpoint() throws Exception {
    ServiceRef service = newService();
    adapter.deploy(spec(service, image("httpd", "1")).build());
    String pod = adapter.status(service).replicas().getFirst().id();
    Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
    cluster.writeLog(pod, t0, "first");
    cluster.writeLog(pod, t0.plusSeconds(10), "second");
    List<LogLine> lines = new CopyOnWriteArrayList<>();

    try (var sub =
        adapter.logs(service, new LogOptions(true, t0.plusSeconds(5), 5, true, true), lines::add)) {
      assertThat(sub.awaitCompletion(Duration.ofSeconds(10))).isTrue();
    }

    assertThat(lines)
        .singleElement()
        .satisfies(l -> {
          assertThat(l.message()).isEqualTo("second");
          assertThat(l.at()).isEqualTo(t0.plusSeconds(10));
          assertThat(l.replicaId()).isEqualTo(pod);
          assertThat(l.stream()).isEqualTo(LogLine.Stream.STDOUT);
        });
    adapter.stop(service);
  }

  @Test
  void execRejectsAMissingReplicaAndMetricsSayWhenMetricsServerIsMissing() {
    ServiceRef service = newService();
    adapter.deploy(spec(service, image("httpd", "1")).build());

    assertThatThrownBy(() ->
            adapter.exec(service, List.of("true"), new ExecOptions(Duration.ofSeconds(5), 10, 3)))
        .isInstanceOf(RuntimeAdapterException.InvalidSpec.class)
        .hasMessageContaining("replica: 3 does not exist");
    assertThat(adapter.metrics(service))
        .singleElement()
        .satisfies(m -> {
          assertThat(m.cpuPercent()).isEqualTo(0.15, org.assertj.core.data.Offset.offset(0.0001));
          assertThat(m.memoryUsageBytes()).isEqualTo(1236 * 1024);
          assertThat(m.networkRxBytes()).isEqualTo(4096);
          assertThat(m.pids()).isEqualTo(2);
        });
    cluster.metricsServer(false);
    try {
      assertThatThrownBy(() -> adapter.metrics(service))
          .isInstanceOf(RuntimeAdapterException.class)
          .hasMessageContaining("metrics unavailable")
          .hasMessageContaining("metrics-server")
          .extracting(x -> ((RuntimeAdapterException) x).code())
          .isEqualTo(RuntimeErrorCode.UNSUPPORTED);
    } finally {
      cluster.metricsServer(true);
    }
    adapter.stop(service);
  }

  @Test
  void namesThatDoNotFitKubernetesAreInvalidSpecs() {
    assertThatThrownBy(() ->
            adapter.deploy(
                DeploySpec.builder("d1", new ServiceRef("k3x9a2", "p", "1web"), image("httpd", "1"))
                    .build()))
        .isInstanceOf(RuntimeAdapterException.InvalidSpec.class)
        .hasMessageContaining("must start with a letter");
    assertThatThrownBy(() -> adapter.status(new ServiceRef("k3x9a2", "p", "w".repeat(60))))
        .isInstanceOf(RuntimeAdapterException.InvalidSpec.class)
        .hasMessageContaining("at most 57");
    assertThat(Map.of()).isEmpty();
  }
}
