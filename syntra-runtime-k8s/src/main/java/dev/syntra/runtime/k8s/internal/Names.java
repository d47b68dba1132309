package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Object names and the {@code syntra.*} labels and annotations of every object the adapter creates.
 * Label keys match the Docker runtime's where they mean the same. The adapter only ever reads,
 * changes or deletes objects labelled {@link #MANAGED}{@code =true}.
 */
public final class Names {
  public static final String MANAGED = "syntra.managed";
  public static final String ORGANIZATION = "syntra.organization";
  public static final String PROJECT = "syntra.project";
  public static final String SERVICE = "syntra.service";

  /** Label: the deployment id when it is a valid label value, else {@code h-<hash>}. */
  public static final String DEPLOYMENT = "syntra.deployment";

  /** Label of Deployments and pods: {@code blue} or {@code green} (part of the selector). */
  public static final String SLOT = "syntra.slot";

  /** Label of Deployments: {@code stable} for the serving version, {@code canary} for a canary. */
  public static final String TRACK = "syntra.track";

  /** Pod-template label that changes with every deploy and restart, to follow a rollout. */
  public static final String REVISION = "syntra.revision";

  /** Label of the per-deployment record Secrets (env values plus the deploy command). */
  public static final String RECORD = "syntra.record";

  /** Annotation: the exact deployment id (ids may hold characters labels do not allow). */
  public static final String DEPLOYMENT_ID = "syntra.dev/deployment-id";

  /** Annotation of record Secrets: when the deployment was made, ISO-8601. */
  public static final String DEPLOYED_AT = "syntra.dev/deployed-at";

  /** Secret key of the deploy command in a record; a leading '.' keeps it apart from env keys. */
  public static final String RECORD_KEY = ".syntra.deploy.json";

  public static final String TRACK_STABLE = "stable";
  public static final String TRACK_CANARY = "canary";

  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]");
  private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  private Names() {}

  /** Longest Kubernetes namespace name (a DNS label). */
  static final int MAX_NAMESPACE = 63;

  /**
   * {@code syn-{organization}-{project}}, or, when that exceeds 63 characters, {@code
   * syn-{organization}-{start of project}-{hash}} where the hash (10 hex) is of organization and
   * project: deterministic, so every agent and restart finds the same namespace, and distinct
   * projects sharing a long prefix get distinct namespaces.
   */
  public static String namespace(ServiceRef service) {
    String full = "syn-" + service.organization() + "-" + service.project();
    if (full.length() <= MAX_NAMESPACE) {
      return full;
    }
    String prefix = "syn-" + service.organization() + "-";
    String hash = hash(service.organization() + "/" + service.project());
    // At least 31 characters of the project remain: the organization key has at most 16.
    String start =
        service.project().substring(0, MAX_NAMESPACE - prefix.length() - 1 - hash.length());
    while (start.endsWith("-")) {
      start = start.substring(0, start.length() - 1);
    }
    return prefix + start + "-" + hash;
  }

  /** The Deployment of one slot: {@code {service}-blue} or {@code {service}-green}. */
  public static String deployment(ServiceRef service, Slot slot) {
    return service.service() + "-" + slot.label();
  }

  /** The Service other workloads reach the service by, and what a plain Ingress routes to. */
  public static String mainService(ServiceRef service) {
    return service.service();
  }

  /** The plain Ingress of the wildcard domains (the exact ones are in {@link #mainService}'s). */
  public static String wildcardIngress(ServiceRef service) {
    return service.service() + "-wild";
  }

  /** The per-slot Service a weighted TraefikService splits traffic over. */
  public static String slotService(ServiceRef service, Slot slot) {
    return service.service() + "-" + slot.label();
  }

  /** The Secret holding a deployment's env values and its deploy command. */
  public static String record(ServiceRef service, String deploymentId) {
    return service.service() + "-d-" + hash(deploymentId);
  }

  /** The image-pull Secret of a deployment with registry credentials. */
  public static String pullSecret(ServiceRef service, String deploymentId) {
    return service.service() + "-p-" + hash(deploymentId);
  }

  /** The deployment id as a label value: itself when valid, else {@code h-<hash>}. */
  public static String deploymentLabel(String deploymentId) {
    return LABEL_VALUE.matcher(deploymentId).matches() ? deploymentId : "h-" + hash(deploymentId);
  }

  /** Labels of a project's namespace (and of its NetworkPolicy). */
  public static Map<String, String> ofProject(ServiceRef service) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, "true");
    labels.put(ORGANIZATION, service.organization());
    labels.put(PROJECT, service.project());
    return labels;
  }

  /** Labels identifying every object of a service. */
  public static Map<String, String> ofService(ServiceRef service) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, "true");
    labels.put(ORGANIZATION, service.organization());
    labels.put(PROJECT, service.project());
    labels.put(SERVICE, service.service());
    return labels;
  }

  /** Labels of the pods of one slot (the Deployment's selector). */
  public static Map<String, String> ofSlot(ServiceRef service, Slot slot) {
    Map<String, String> labels = ofService(service);
    labels.put(SLOT, slot.label());
    return labels;
  }

  /**
   * Checks the names built from {@code service} fit Kubernetes: object names are DNS labels of at
   * most 63 characters, and Service names must start with a letter. (Namespace names always fit:
   * {@link #namespace} shortens them.)
   */
  public static void validate(ServiceRef service) {
    if (deployment(service, Slot.GREEN).length() > 63) {
      throw new RuntimeAdapterException.InvalidSpec(
          "service: '"
              + service.service()
              + "' is too long for Kubernetes: object names {service}-green must fit in 63"
              + " characters (service at most 57)");
    }
    if (!DNS_1035.matcher(service.service()).matches()) {
      throw new RuntimeAdapterException.InvalidSpec(
          "service: '"
              + service.service()
              + "' must start with a letter on Kubernetes (Service names are RFC 1035 labels)");
    }
  }

  static String hash(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
