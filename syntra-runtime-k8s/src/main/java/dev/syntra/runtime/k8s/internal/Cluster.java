package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter's view of the API server: reads and writes of the objects it owns, each mapped to
 * typed errors. Every write checks ownership first: an object with the same name that does not
 * carry {@code syntra.managed=true} and the organization, project and service labels of the service
 * at hand is never changed or deleted ({@code Conflict}).
 */
public final class Cluster {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  private final KubernetesClient client;
  private final KubernetesErrors errors;
  private final @Nullable Map<String, String> ingressControllerPods;
  private volatile @Nullable Boolean traefik;

  /**
   * @param ingressControllerPods labels of the ingress controller's pods, which the project
   *     NetworkPolicy admits; null for no NetworkPolicy
   */
  public Cluster(KubernetesClient client, @Nullable Map<String, String> ingressControllerPods) {
    this.client = client;
    this.errors = new KubernetesErrors(client.getMasterUrl());
    this.ingressControllerPods =
        ingressControllerPods == null ? null : Map.copyOf(ingressControllerPods);
  }

  public KubernetesClient client() {
    return client;
  }

  public KubernetesErrors errors() {
    return errors;
  }

  /**
   * Creates the project's namespace if missing, then applies its NetworkPolicy (when enabled); true
   * if this call created the namespace. An existing namespace labelled for another organization or
   * project is a {@code Conflict} (an unlabelled one, made by an operator in advance, is used as it
   * is).
   */
  public boolean ensureNamespace(ServiceRef service) {
    boolean created = createNamespace(service);
    if (ingressControllerPods != null) {
      // Every deploy, so a deleted or edited policy comes back.
      apply(Confinement.networkPolicy(service, ingressControllerPods));
    }
    return created;
  }

  private boolean createNamespace(ServiceRef service) {
    String name = Names.namespace(service);
    Namespace existing =
        errors.call("read namespace " + name, () -> client.namespaces().withName(name).get());
    if (existing != null) {
      if (label(existing, Names.MANAGED) != null && !ownsNamespace(existing, service)) {
        throw notOurs(existing);
      }
      return false;
    }
    try {
      client.resource(Manifests.namespace(service)).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false; // created concurrently
      }
      throw errors.map("create namespace " + name, e);
    }
  }

  /** Deletes the namespace if it is this project's (used after a failed first deploy). */
  public void deleteNamespaceIfOwned(ServiceRef service) {
    String name = Names.namespace(service);
    Namespace ns =
        errors.call("read namespace " + name, () -> client.namespaces().withName(name).get());
    if (ns != null && ownsNamespace(ns, service)) {
      errors.run("delete namespace " + name, () -> client.namespaces().withName(name).delete());
    }
  }

  /** The service's Deployments (both slots), oldest first. */
  public List<Deployment> deployments(ServiceRef service) {
    String ns = Names.namespace(service);
    return errors.call(
        "list the Deployments of " + service,
        () ->
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withLabels(Names.ofService(service))
                .list()
                .getItems()
                .stream()
                .filter(d -> owns(d, service))
                .sorted(Comparator.comparing(d -> d.getMetadata().getName()))
                .toList());
  }

  /** The Deployment of the serving version, if any. */
  public Optional<Deployment> stable(ServiceRef service) {
    List<Deployment> all = deployments(service);
    return all.stream()
        .filter(d -> Names.TRACK_STABLE.equals(label(d, Names.TRACK)))
        .findFirst()
        .or(() ->
            all.stream()
                .filter(d -> !Names.TRACK_CANARY.equals(label(d, Names.TRACK)))
                .findFirst());
  }

  /** The Deployment of a running canary, if any. */
  public Optional<Deployment> canary(ServiceRef service) {
    return deployments(service).stream()
        .filter(d -> Names.TRACK_CANARY.equals(label(d, Names.TRACK)))
        .findFirst();
  }

  /** Pods of the service, or of one slot, that are not being deleted; by creation then name. */
  public List<Pod> pods(ServiceRef service, @Nullable Slot slot) {
    String ns = Names.namespace(service);
    Map<String, String> labels =
        slot == null ? Names.ofService(service) : Names.ofSlot(service, slot);
    return errors.call(
        "list the pods of " + service,
        () ->
            client.pods().inNamespace(ns).withLabels(labels).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(
                    Comparator.comparing((Pod p) ->
                            p.getMetadata().getCreationTimestamp() == null
                                ? ""
                                : p.getMetadata().getCreationTimestamp())
                        .thenComparing(p -> p.getMetadata().getName()))
                .toList());
  }

  /** The record Secrets of the service (the deploy history), newest first. */
  public List<Secret> records(ServiceRef service) {
    String ns = Names.namespace(service);
    Map<String, String> labels = Names.ofService(service);
    labels.put(Names.RECORD, "deployment");
    return errors.call(
        "list the deploy history of " + service,
        () ->
            client.secrets().inNamespace(ns).withLabels(labels).list().getItems().stream()
                .filter(s -> owns(s, service))
                .sorted(
                    Comparator.comparing((Secret s) -> annotation(s, Names.DEPLOYED_AT, ""))
                        .reversed())
                .toList());
  }

  /** Creates {@code object}; a name already taken is a {@code Conflict}. */
  public <T extends HasMetadata> T create(T object) {
    String what = "create " + describe(object);
    return errors.call(what, () -> client.resource(object).create());
  }

  /**
   * Creates {@code object} or replaces the one of that name if it has the same owner (the {@code
   * syntra.*} organization, project and service labels of {@code object}); anything else of that
   * name is a {@code Conflict}.
   */
  public <T extends HasMetadata> T apply(T object) {
    String what = "apply " + describe(object);
    return withConflictRetry(
        what,
        () -> {
          T existing = client.resource(object).get();
          if (existing == null) {
            return client.resource(object).create();
          }
          requireSameOwner(existing, object);
          object.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
          return client.resource(object).update();
        });
  }

  /**
   * Runs a read-modify-write, again when the object changed in between (409: controllers update
   * status concurrently); a few tries, then the conflict is reported.
   */
  private <T> T withConflictRetry(String what, java.util.function.Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw errors.map(what, e);
        }
        log.debug("{}: conflict, retrying ({})", what, attempt);
      }
    }
  }

  /**
   * Deletes {@code object} (only its kind, namespace and name count) if it exists and belongs to
   * {@code service}; returns whether it was deleted.
   */
  public boolean delete(HasMetadata object, ServiceRef service) {
    return errors.call(
        "delete " + describe(object),
        () -> {
          HasMetadata existing = client.resource(object).get();
          if (existing == null || !owns(existing, service)) {
            return false;
          }
          client.resource(existing).delete();
          return true;
        });
  }

  /** Generic resources (Traefik CRs) of the service. */
  public List<GenericKubernetesResource> generic(
      ResourceDefinitionContext ctx, ServiceRef service) {
    String ns = Names.namespace(service);
    return errors.call(
        "list the " + ctx.getKind() + "s of " + service,
        () ->
            client
                .genericKubernetesResources(ctx)
                .inNamespace(ns)
                .withLabels(Names.ofService(service))
                .list()
                .getItems()
                .stream()
                .filter(r -> owns(r, service))
                .toList());
  }

  /** Creates or replaces a generic resource (Traefik CRs), with the same ownership rule. */
  public GenericKubernetesResource applyGeneric(
      ResourceDefinitionContext ctx, GenericKubernetesResource object) {
    String ns = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    return withConflictRetry(
        "apply " + ctx.getKind() + " " + ns + "/" + name,
        () -> {
          var op = client.genericKubernetesResources(ctx).inNamespace(ns);
          GenericKubernetesResource existing = op.withName(name).get();
          if (existing == null) {
            return op.resource(object).create();
          }
          requireSameOwner(existing, object);
          object.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
          return op.resource(object).update();
        });
  }

  /**
   * Whether the Traefik CRDs ({@code ingressroutes.traefik.io}) are installed; asked once. Without
   * the right to read CRDs, API discovery of the {@code traefik.io} group answers instead.
   */
  public boolean traefikInstalled() {
    Boolean known = traefik;
    if (known != null) {
      return known;
    }
    boolean found;
    try {
      found =
          client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("ingressroutes.traefik.io")
                  .get()
              != null;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw errors.map("look for the Traefik CRDs", e);
      }
      found =
          errors.call(
              "discover the traefik.io API group", () -> client.getApiGroup("traefik.io") != null);
    }
    log.debug("Traefik CRDs installed: {}", found);
    traefik = found;
    return found;
  }

  /**
   * Throws {@code Conflict} unless {@code existing} is managed by Syntra for the same organization,
   * project and service as {@code wanted}. Equal project and service slugs of another organization
   * are not enough: tenants sharing a cluster never adopt each other's objects.
   */
  static void requireSameOwner(HasMetadata existing, HasMetadata wanted) {
    if (!"true".equals(label(existing, Names.MANAGED))) {
      throw new RuntimeAdapterException.Conflict(
          describe(existing)
              + " exists and is not managed by Syntra (no label "
              + Names.MANAGED
              + "=true); Syntra does not change objects it does not own",
          null);
    }
    for (String key : List.of(Names.ORGANIZATION, Names.PROJECT, Names.SERVICE)) {
      if (!Objects.equals(label(existing, key), label(wanted, key))) {
        throw notOurs(existing);
      }
    }
  }

  /** Whether {@code object} is managed by Syntra for exactly {@code service}. */
  public static boolean owns(HasMetadata object, ServiceRef service) {
    return ownsNamespace(object, service) && service.service().equals(label(object, Names.SERVICE));
  }

  /** Whether {@code object} is managed by Syntra for {@code service}'s organization and project. */
  static boolean ownsNamespace(HasMetadata object, ServiceRef service) {
    return "true".equals(label(object, Names.MANAGED))
        && service.organization().equals(label(object, Names.ORGANIZATION))
        && service.project().equals(label(object, Names.PROJECT));
  }

  /** The error for an object of someone else: it names neither that owner nor its labels. */
  private static RuntimeAdapterException notOurs(HasMetadata existing) {
    return new RuntimeAdapterException.Conflict(
        describe(existing)
            + " exists and belongs to another organization, project or service (or predates"
            + " the "
            + Names.ORGANIZATION
            + " label); Syntra does not change objects it does not own",
        null);
  }

  public static @Nullable String label(HasMetadata object, String key) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  public static String annotation(HasMetadata object, String key, String fallback) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(key);
    return value == null ? fallback : value;
  }

  public static String describe(HasMetadata object) {
    String ns = object.getMetadata().getNamespace();
    return object.getKind() + " " + (ns == null ? "" : ns + "/") + object.getMetadata().getName();
  }
}
