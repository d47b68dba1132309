package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.util.Map;

/**
 * How Syntra's pods are confined: the container security context from the spec's {@link
 * SecurityOptions}, the pod's seccomp profile, and the project namespace's NetworkPolicy. Pure
 * functions of their inputs.
 */
public final class Confinement {
  /** Name of the NetworkPolicy in every project namespace. */
  public static final String NETWORK_POLICY = "syntra-isolation";

  /**
   * The project's NetworkPolicy: Syntra's pods in the namespace accept connections only from pods
   * of the same namespace and from the ingress controller's pods (in any namespace), selected by
   * {@code ingressControllerPods}. Egress is not restricted. Enforced only where the cluster's
   * network plugin implements NetworkPolicy (Calico, Cilium, …; flannel alone ignores it).
   */
  public static NetworkPolicy networkPolicy(
      ServiceRef service, Map<String, String> ingressControllerPods) {
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(NETWORK_POLICY)
        .withNamespace(Names.namespace(service))
        .withLabels(Names.ofProject(service))
        .endMetadata()
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(Map.of(Names.MANAGED, "true"))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewPodSelector()
        .endPodSelector()
        .endFrom()
        .addNewFrom()
        .withNewNamespaceSelector()
        .endNamespaceSelector()
        .withNewPodSelector()
        .withMatchLabels(ingressControllerPods)
        .endPodSelector()
        .endFrom()
        .endIngress()
        .endSpec()
        .build();
  }

  /** The pod's security context: the container runtime's default seccomp profile. */
  public static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /**
   * The container's confinement from the spec: {@code allowPrivilegeEscalation: false} with
   * no-new-privileges (left to the cluster's default otherwise), and the capabilities to drop and
   * add. The user the image runs as is not changed: images that start as root keep working with the
   * default capability set.
   */
  public static SecurityContext securityContext(SecurityOptions security) {
    SecurityContextBuilder b =
        new SecurityContextBuilder()
            .withNewCapabilities()
            .withDrop(security.capDrop())
            .withAdd(security.capAdd())
            .endCapabilities();
    if (security.noNewPrivileges()) {
      b.withAllowPrivilegeEscalation(false);
    }
    return b.build();
  }

  private Confinement() {}
}
