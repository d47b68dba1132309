package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.HealthCheck;
import dev.syntra.protocol.runtime.PortMapping;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.ResourceLimits;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds the core Kubernetes objects of a {@link DeploySpec}: namespace, record and pull Secrets,
 * slot Deployment, Services and HorizontalPodAutoscaler. Pure functions of their inputs.
 */
public final class Manifests {
  /** Seconds a replica gets to stop gracefully. */
  static final long TERMINATION_GRACE_SECONDS = 30;

  private Manifests() {}

  public static Namespace namespace(ServiceRef service) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(Names.namespace(service))
        .withLabels(Names.ofProject(service))
        .endMetadata()
        .build();
  }

  /**
   * The deployment's record: env values (read by the pods through {@code secretKeyRef}) and the
   * whole deploy command under {@link Names#RECORD_KEY}, which rollback reads back.
   */
  public static Secret record(DeploySpec spec, String deployCommandJson, Instant deployedAt) {
    Map<String, String> data = new LinkedHashMap<>();
    spec.env().forEach((k, v) -> data.put(k, base64(v)));
    data.put(Names.RECORD_KEY, base64(deployCommandJson));
    return new SecretBuilder()
        .withMetadata(
            meta(
                Names.record(spec.service(), spec.deploymentId()),
                spec,
                Map.of(Names.RECORD, "deployment"),
                Map.of(Names.DEPLOYED_AT, deployedAt.toString())))
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** A {@code kubernetes.io/dockerconfigjson} Secret for the spec's registry credentials. */
  public static Secret pullSecret(DeploySpec spec, RegistryAuth auth) {
    String basic = base64(auth.username() + ":" + auth.password());
    String json =
        "{\"auths\":{\""
            + jsonEscape(auth.server())
            + "\":{\"username\":\""
            + jsonEscape(auth.username())
            + "\",\"password\":\""
            + jsonEscape(auth.password())
            + "\",\"auth\":\""
            + basic
            + "\"}}}";
    return new SecretBuilder()
        .withMetadata(
            meta(Names.pullSecret(spec.service(), spec.deploymentId()), spec, Map.of(), Map.of()))
        .withType("kubernetes.io/dockerconfigjson")
        .withData(Map.of(".dockerconfigjson", base64(json)))
        .build();
  }

  /** The Deployment of {@code slot} running {@code spec} with {@code replicas} pods. */
  public static Deployment deployment(
      DeploySpec spec, Slot slot, String track, int replicas, String revision) {
    ServiceRef service = spec.service();
    Map<String, String> labels = Names.ofSlot(service, slot);
    labels.put(Names.TRACK, track);
    labels.put(Names.DEPLOYMENT, Names.deploymentLabel(spec.deploymentId()));
    return new DeploymentBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(Names.deployment(service, slot))
                .withNamespace(Names.namespace(service))
                .withLabels(labels)
                .withAnnotations(Map.of(Names.DEPLOYMENT_ID, spec.deploymentId()))
                .build())
        .withNewSpec()
        .withReplicas(replicas)
        .withRevisionHistoryLimit(5)
        .withProgressDeadlineSeconds(600)
        .withNewSelector()
        .withMatchLabels(Names.ofSlot(service, slot))
        .endSelector()
        .withStrategy(strategy(spec))
        .withTemplate(podTemplate(spec, slot, revision))
        .endSpec()
        .build();
  }

  /** The pod template of {@code spec}; {@code revision} changes with every deploy and restart. */
  public static PodTemplateSpec podTemplate(DeploySpec spec, Slot slot, String revision) {
    Map<String, String> labels = Names.ofSlot(spec.service(), slot);
    labels.put(Names.DEPLOYMENT, Names.deploymentLabel(spec.deploymentId()));
    labels.put(Names.REVISION, revision);
    List<LocalObjectReference> pull = new ArrayList<>();
    if (spec.registryAuth() != null) {
      pull.add(new LocalObjectReference(Names.pullSecret(spec.service(), spec.deploymentId())));
    }
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(Map.of(Names.DEPLOYMENT_ID, spec.deploymentId()))
        .endMetadata()
        .withNewSpec()
        .withContainers(container(spec))
        .withImagePullSecrets(pull)
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
        .withSecurityContext(Confinement.podSecurityContext())
        .endSpec()
        .build();
  }

  static DeploymentStrategy strategy(DeploySpec spec) {
    if (spec.strategy() == DeployStrategy.INSTANT) {
      return new DeploymentStrategyBuilder().withType("Recreate").build();
    }
    return new DeploymentStrategyBuilder()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(spec.rollout().maxSurge()))
        .withMaxUnavailable(new IntOrString(spec.rollout().maxUnavailable()))
        .endRollingUpdate()
        .build();
  }

  static Container container(DeploySpec spec) {
    List<EnvVar> env = NodeAddress.env(spec);
    String record = Names.record(spec.service(), spec.deploymentId());
    for (String key : spec.env().keySet()) {
      if (NodeAddress.expands(spec.env().get(key))) {
        env.add(new EnvVarBuilder().withName(key).withValue(spec.env().get(key)).build());
        continue;
      }
      env.add(
          new EnvVarBuilder()
              .withName(key)
              .withNewValueFrom()
              .withNewSecretKeyRef()
              .withName(record)
              .withKey(key)
              .endSecretKeyRef()
              .endValueFrom()
              .build());
    }
    List<ContainerPort> ports = new ArrayList<>();
    for (PortMapping p : spec.ports()) {
      ports.add(
          new ContainerPortBuilder()
              .withContainerPort(p.containerPort())
              .withProtocol(p.protocol().name())
              .build());
    }
    ContainerBuilder c =
        new ContainerBuilder()
            .withName(spec.service().service())
            .withImage(spec.image())
            .withImagePullPolicy("IfNotPresent")
            .withArgs(spec.command())
            .withEnv(env)
            .withPorts(ports)
            .withResources(resources(spec.limits()))
            .withSecurityContext(Confinement.securityContext(spec.security()));
    HealthCheck hc = spec.healthCheck();
    if (hc != null) {
      c.withReadinessProbe(probe(hc, hc.retries()));
      c.withLivenessProbe(probe(hc, hc.retries()));
      if (!hc.startPeriod().isZero()) {
        int extra = (int) Math.ceil((double) hc.startPeriod().toMillis() / periodMillis(hc));
        c.withStartupProbe(probe(hc, hc.retries() + extra));
      }
    }
    return c.build();
  }

  static ResourceRequirements resources(ResourceLimits limits) {
    Map<String, Quantity> amounts = new LinkedHashMap<>();
    if (limits.cpuMillis() > 0) {
      amounts.put("cpu", new Quantity(limits.cpuMillis() + "m"));
    }
    if (limits.memoryBytes() > 0) {
      amounts.put("memory", new Quantity(Long.toString(limits.memoryBytes())));
    }
    return new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build();
  }

  /** The probe of {@code hc}; Kubernetes counts in whole seconds, so intervals round up. */
  static Probe probe(HealthCheck hc, int failureThreshold) {
    ProbeBuilder b =
        new ProbeBuilder()
            .withPeriodSeconds(seconds(hc.interval()))
            .withTimeoutSeconds(seconds(hc.timeout()))
            .withFailureThreshold(failureThreshold)
            .withSuccessThreshold(1)
            .withInitialDelaySeconds(0);
    if (hc.type() == HealthCheck.Type.HTTP) {
      b.withNewHttpGet().withPath(hc.path()).withPort(new IntOrString(hc.port())).endHttpGet();
    } else {
      b.withNewTcpSocket().withPort(new IntOrString(hc.port())).endTcpSocket();
    }
    return b.build();
  }

  /**
   * How long a replica may run without passing its readiness probe before the deploy calls it
   * unhealthy: the probes' own failure budget plus a grace for the kubelet's reporting delay.
   */
  public static Duration unhealthyAfter(@Nullable HealthCheck hc) {
    if (hc == null) {
      return Duration.ofSeconds(10);
    }
    long perProbe = periodMillis(hc) + seconds(hc.timeout()) * 1000L;
    return hc.startPeriod().plusMillis(perProbe * hc.retries()).plusSeconds(3);
  }

  private static long periodMillis(HealthCheck hc) {
    return seconds(hc.interval()) * 1000L;
  }

  private static int seconds(Duration d) {
    return (int) Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /** The Service named {@code name} over the spec's ports, selecting {@code selector}. */
  public static Service service(DeploySpec spec, String name, Map<String, String> selector) {
    List<ServicePort> ports = new ArrayList<>();
    for (PortMapping p : spec.ports()) {
      ports.add(
          new ServicePortBuilder()
              .withName(p.protocol().name().toLowerCase(Locale.ROOT) + "-" + p.containerPort())
              .withPort(p.containerPort())
              .withTargetPort(new IntOrString(p.containerPort()))
              .withProtocol(p.protocol().name())
              .build());
    }
    return new ServiceBuilder()
        .withMetadata(meta(name, spec, Map.of(), Map.of()))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector)
        .withPorts(ports)
        .endSpec()
        .build();
  }

  /** An autoscaling/v2 HPA on CPU utilisation for the Deployment {@code target}. */
  public static HorizontalPodAutoscaler hpa(DeploySpec spec, String target) {
    var as = java.util.Objects.requireNonNull(spec.autoscaling(), "autoscaling");
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(meta(spec.service().service(), spec, Map.of(), Map.of()))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(target)
        .endScaleTargetRef()
        .withMinReplicas(as.minReplicas())
        .withMaxReplicas(as.maxReplicas())
        .addNewMetric()
        .withType("Resource")
        .withNewResource()
        .withName("cpu")
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(as.cpuTargetPercent())
        .endTarget()
        .endResource()
        .endMetric()
        .endSpec()
        .build();
  }

  /** Replicas to start with: the spec's, kept within the autoscaling bounds when set. */
  public static int initialReplicas(DeploySpec spec) {
    var as = spec.autoscaling();
    if (as == null) {
      return spec.replicas();
    }
    return Math.min(as.maxReplicas(), Math.max(as.minReplicas(), spec.replicas()));
  }

  /** Metadata with the service's labels (plus {@code extraLabels}) and the deployment id. */
  static ObjectMeta meta(
      String name,
      DeploySpec spec,
      Map<String, String> extraLabels,
      Map<String, String> extraAnnotations) {
    Map<String, String> labels = Names.ofService(spec.service());
    labels.put(Names.DEPLOYMENT, Names.deploymentLabel(spec.deploymentId()));
    labels.putAll(extraLabels);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Names.DEPLOYMENT_ID, spec.deploymentId());
    annotations.putAll(extraAnnotations);
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(Names.namespace(spec.service()))
        .withLabels(labels)
        .withAnnotations(annotations)
        .build();
  }

  static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String jsonEscape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
