package dev.syntra.runtime.k8s;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.runtime.k8s.internal.Confinement;
import dev.syntra.runtime.k8s.internal.Manifests;
import dev.syntra.runtime.k8s.internal.Names;
import dev.syntra.runtime.k8s.internal.RouteManifests;
import dev.syntra.runtime.k8s.internal.Slot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the objects the Kubernetes adapter creates for a {@link DeploySpec} (serving slot {@code
 * blue}, as after a first deploy) as multi-document YAML, e.g. to export a service. Env values and
 * registry passwords are replaced by {@code <redacted>} unless {@link #withSecretValues(boolean)}
 * asks for them. Immutable and thread-safe.
 */
public final class ManifestRenderer {
  private static final String REDACTED = "PHJlZGFjdGVkPg=="; // base64 of "<redacted>"
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final boolean traefik;
  private final String certResolver;
  private final boolean secretValues;

  private ManifestRenderer(boolean traefik, String certResolver, boolean secretValues) {
    this.traefik = traefik;
    this.certResolver = certResolver;
    this.secretValues = secretValues;
  }

  /** Traefik CRDs assumed installed, resolver {@code letsencrypt}, secrets redacted. */
  public static ManifestRenderer create() {
    return new ManifestRenderer(true, "letsencrypt", false);
  }

  /** Routes with IngressRoute/TraefikService ({@code true}) or a plain Ingress. */
  public ManifestRenderer withTraefik(boolean traefik) {
    return new ManifestRenderer(traefik, certResolver, secretValues);
  }

  public ManifestRenderer withCertResolver(String certResolver) {
    return new ManifestRenderer(traefik, certResolver, secretValues);
  }

  /** Whether Secrets carry the real env values and registry password (default false). */
  public ManifestRenderer withSecretValues(boolean secretValues) {
    return new ManifestRenderer(traefik, certResolver, secretValues);
  }

  /** The objects, in the order they are applied. */
  public List<HasMetadata> objects(DeploySpec spec) {
    Names.validate(spec.service());
    List<HasMetadata> out = new ArrayList<>();
    out.add(Manifests.namespace(spec.service()));
    out.add(
        Confinement.networkPolicy(
            spec.service(), KubernetesRuntimeAdapter.DEFAULT_INGRESS_CONTROLLER_PODS));
    Secret env = Manifests.record(spec, "{}", java.time.Instant.EPOCH);
    Map<String, String> data = new LinkedHashMap<>(env.getData());
    data.remove(Names.RECORD_KEY);
    if (!secretValues) {
      data.replaceAll((k, v) -> REDACTED);
    }
    env.setData(data);
    env.getMetadata().getAnnotations().remove(Names.DEPLOYED_AT);
    out.add(env);
    if (spec.registryAuth() != null) {
      Secret pull = Manifests.pullSecret(spec, spec.registryAuth());
      if (!secretValues) {
        pull.getData().replaceAll((k, v) -> REDACTED);
      }
      out.add(pull);
    }
    out.add(
        Manifests.deployment(
            spec, Slot.BLUE, Names.TRACK_STABLE, Manifests.initialReplicas(spec), "rendered"));
    if (!spec.ports().isEmpty()) {
      out.add(
          Manifests.service(
              spec, Names.mainService(spec.service()), Names.ofSlot(spec.service(), Slot.BLUE)));
      if (!spec.domains().isEmpty() && traefik) {
        out.add(
            Manifests.service(
                spec,
                Names.slotService(spec.service(), Slot.BLUE),
                Names.ofSlot(spec.service(), Slot.BLUE)));
        out.add(RouteManifests.traefikService(spec, Map.of(Slot.BLUE, 100)));
        out.add(RouteManifests.ingressRoute(spec, certResolver));
      } else if (!spec.domains().isEmpty()) {
        out.addAll(RouteManifests.ingresses(spec, certResolver));
      }
    }
    if (spec.autoscaling() != null) {
      out.add(Manifests.hpa(spec, Names.deployment(spec.service(), Slot.BLUE)));
    }
    return out;
  }

  /** The objects as YAML documents separated by {@code ---}. */
  public String render(DeploySpec spec) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata object : objects(spec)) {
      String yaml = SERIALIZATION.asYaml(object);
      if (!yaml.startsWith("---")) {
        out.append("---\n");
      }
      out.append(yaml);
      if (!yaml.endsWith("\n")) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "ManifestRenderer[traefik="
        + traefik
        + ", certResolver="
        + certResolver
        + ", secretValues="
        + secretValues
        + "]";
  }
}
