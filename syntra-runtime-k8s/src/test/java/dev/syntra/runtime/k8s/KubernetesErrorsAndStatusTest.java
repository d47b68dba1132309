package dev.syntra.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ReplicaStatus;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.runtime.ServiceStatus;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Status reasons and error mapping against fabric8's mock server (CRUD plus expectations, nothing
 * else running): pods are written with the states a kubelet reports, and API failures are served as
 * expectations.
 */
class KubernetesErrorsAndStatusTest {
  private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
  private final KubernetesMockServer server =
      new KubernetesMockServer(
          new Context(),
          new MockWebServer(),
          responses,
          new KubernetesMixedDispatcher(responses),
          false);
  private final KubernetesClient client;
  private final KubernetesRuntimeAdapter adapter;

  KubernetesErrorsAndStatusTest() throws Exception {
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient(new JdkHttpClientFactory());
    adapter =
        KubernetesRuntimeAdapter.builder()
            .client(client)
            .pollInterval(Duration.ofMillis(50))
            .rolloutTimeout(Duration.ofSeconds(5))
            .stopTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void close() {
    adapter.close();
    client.close();
    server.destroy();
  }

  private void deploymentWithPod(String ns, String waitingReason, String message, int restarts) {
    Map<String, String> labels =
        Map.of(
            "syntra.managed",
            "true",
            "syntra.organization",
            "k3x9a2",
            "syntra.project",
            "shop",
            "syntra.service",
            "web",
            "syntra.slot",
            "blue");
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web-blue")
                .withLabels(
                    Map.of(
                        "syntra.managed",
                        "true",
                        "syntra.organization",
                        "k3x9a2",
                        "syntra.project",
                        "shop",
                        "syntra.service",
                        "web",
                        "syntra.slot",
                        "blue",
                        "syntra.track",
                        "stable"))
                .withAnnotations(Map.of("syntra.dev/deployment-id", "dep-1"))
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("syntra.revision", "r1"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("127.0.0.1:5000/shop/web:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    Map<String, String> podLabels = new HashMap<>(labels);
    podLabels.put("syntra.revision", "r1");
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web-blue-abc")
                .withLabels(podLabels)
                .withAnnotations(Map.of("syntra.dev/deployment-id", "dep-1"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("127.0.0.1:5000/shop/web:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName("web")
                .withRestartCount(restarts)
                .withNewState()
                .withNewWaiting()
                .withReason(waitingReason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(restarts > 0 ? 1 : 0)
                .endTerminated()
                .endLastState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
  }

  @Test
  void statusNamesImagePullBackOff() {
    deploymentWithPod(
        "syn-k3x9a2-shop",
        "ImagePullBackOff",
        "Back-off pulling image \"127.0.0.1:5000/shop/web:1\"",
        0);

    ServiceStatus status = adapter.status(new ServiceRef("k3x9a2", "shop", "web"));

    assertThat(status.state()).isEqualTo(ServiceStatus.State.FAILED);
    assertThat(status.deploymentId()).isEqualTo("dep-1");
    assertThat(status.reason()).startsWith("ImagePullBackOff: Back-off pulling image");
    assertThat(status.replicas())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.state()).isEqualTo(ReplicaStatus.State.FAILED);
          assertThat(r.reason()).contains("ImagePullBackOff");
        });
  }

  @Test
  void statusNamesCrashLoopBackOffWithTheLastExit() {
    deploymentWithPod(
        "syn-k3x9a2-shop", "CrashLoopBackOff", "back-off 40s restarting failed container", 4);

    ServiceStatus status = adapter.status(new ServiceRef("k3x9a2", "shop", "web"));

    assertThat(status.state()).isEqualTo(ServiceStatus.State.FAILED);
    assertThat(status.reason()).contains("CrashLoopBackOff").contains("exited with status 1");
    assertThat(status.replicas())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.state()).isEqualTo(ReplicaStatus.State.RESTARTING);
          assertThat(r.restartCount()).isEqualTo(4);
        });
  }

  private static String status(int code, String reason, String message, String kind, String name) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\""
        + message
        + "\",\"reason\":\""
        + reason
        + "\",\"details\":{\"name\":\""
        + name
        + "\",\"kind\":\""
        + kind
        + "\"},\"code\":"
        + code
        + "}";
  }

  @Test
  void forbiddenBecomesPermissionDenied() {
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/syn-k3x9a2-locked")
        .andReturn(
            403,
            status(
                403,
                "Forbidden",
                "namespaces \\\"syn-k3x9a2-locked\\\" is forbidden: User \\\"agent\\\" cannot get resource",
                "namespaces",
                "syn-k3x9a2-locked"))
        .always();

    assertThatThrownBy(() ->
            adapter.deploy(
                DeploySpec.builder("d1", new ServiceRef("k3x9a2", "locked", "web"), "busybox")
                    .build()))
        .isInstanceOf(RuntimeAdapterException.PermissionDenied.class)
        .hasMessageContaining("forbidden")
        .hasMessageContaining("syn-k3x9a2-locked");
  }

  @Test
  void conflictInvalidAndMissingNamespaceAreTyped() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces")
        .andReturn(
            422,
            status(
                422,
                "Invalid",
                "Namespace \\\"syn-k3x9a2-bad\\\" is invalid: metadata.name: Invalid value",
                "namespaces",
                "syn-k3x9a2-bad"))
        .once();
    assertThatThrownBy(() ->
            adapter.deploy(
                DeploySpec.builder("d1", new ServiceRef("k3x9a2", "bad", "web"), "busybox")
                    .build()))
        .isInstanceOf(RuntimeAdapterException.InvalidSpec.class)
        .hasMessageContaining("Invalid value");

    server
        .expect()
        .get()
        .withPath(
            "/apis/apps/v1/namespaces/syn-k3x9a2-gone/deployments?labelSelector=syntra.managed%3Dtrue%2Csyntra.organization%3Dk3x9a2%2Csyntra.project%3Dgone%2Csyntra.service%3Dweb")
        .andReturn(
            404,
            status(
                404,
                "NotFound",
                "namespaces \\\"syn-k3x9a2-gone\\\" not found",
                "namespaces",
                "syn-k3x9a2-gone"))
        .always();
    assertThatThrownBy(() -> adapter.status(new ServiceRef("k3x9a2", "gone", "web")))
        .isInstanceOf(RuntimeAdapterException.class)
        .hasMessageContaining("namespace syn-k3x9a2-gone does not exist");

    server
        .expect()
        .get()
        .withPath(
            "/apis/apps/v1/namespaces/syn-k3x9a2-busy/deployments?labelSelector=syntra.managed%3Dtrue%2Csyntra.organization%3Dk3x9a2%2Csyntra.project%3Dbusy%2Csyntra.service%3Dweb")
        .andReturn(
            409,
            status(409, "Conflict", "Operation cannot be fulfilled", "deployments", "web-blue"))
        .always();
    assertThatThrownBy(() -> adapter.status(new ServiceRef("k3x9a2", "busy", "web")))
        .isInstanceOf(RuntimeAdapterException.Conflict.class);
  }

  @Test
  void anUnreachableApiIsRuntimeUnavailable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    var config =
        new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
            .withMasterUrl("http://127.0.0.1:" + port)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(2000)
            .build();
    try (KubernetesRuntimeAdapter down =
        KubernetesRuntimeAdapter.builder().config(config).build()) {
      assertThatThrownBy(() -> down.status(new ServiceRef("k3x9a2", "shop", "web")))
          .isInstanceOf(RuntimeAdapterException.Unavailable.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .extracting(e -> ((RuntimeAdapterException) e).code())
          .isEqualTo(RuntimeErrorCode.RUNTIME_UNAVAILABLE);
    }
  }
}
