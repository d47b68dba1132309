package dev.syntra.runtime.docker.internal.daemon;

import dev.syntra.protocol.runtime.ServiceRef;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code syntra.*} labels that mark a container as owned by the adapter, and container names.
 * The adapter only ever touches containers carrying {@link #MANAGED}.
 */
public final class Labels {
  public static final String MANAGED = "syntra.managed";
  public static final String ORGANIZATION = "syntra.organization";
  public static final String PROJECT = "syntra.project";
  public static final String SERVICE = "syntra.service";
  public static final String DEPLOYMENT = "syntra.deployment";

  /** Replica index within its deployment, 0-based. */
  public static final String REPLICA = "syntra.replica";

  /** Container port the replica serves (published on a loopback ephemeral port). */
  public static final String PORT = "syntra.port";

  /**
   * {@code active} for replicas of the serving version, {@code canary} for a canary's. Set once at
   * creation (labels cannot change later); whether a replica takes traffic is the proxy's state.
   */
  public static final String ROLE = "syntra.role";

  /** The host bindings the service publishes, so a restarted adapter can serve them again. */
  public static final String PUBLISH = "syntra.publish";

  /** The digest of the image the replica runs, for rollback history and pruning. */
  public static final String IMAGE_DIGEST = "syntra.image-digest";

  /** The user-defined network every managed container joins. */
  public static final String NETWORK = "syntra";

  private Labels() {}

  /** Labels identifying a replica. */
  public static Map<String, String> of(ServiceRef service, String deploymentId, int replica) {
    return Map.of(
        MANAGED, "true",
        ORGANIZATION, service.organization(),
        PROJECT, service.project(),
        SERVICE, service.service(),
        DEPLOYMENT, deploymentId,
        REPLICA, Integer.toString(replica));
  }

  /** Docker label filters selecting every replica of a service. */
  public static Map<String, String> filter(ServiceRef service) {
    return Map.of(
        MANAGED,
        "true",
        ORGANIZATION,
        service.organization(),
        PROJECT,
        service.project(),
        SERVICE,
        service.service());
  }

  /**
   * {@code syn-{project}-{service}-{deploy_short_id}-{replica}}: the short id is the last 8
   * characters of the deployment id, lower-cased and limited to {@code [a-z0-9]}.
   */
  public static String containerName(ServiceRef service, String deploymentId, int replica) {
    return "syn-"
        + service.project()
        + "-"
        + service.service()
        + "-"
        + shortId(deploymentId)
        + "-"
        + replica;
  }

  /** The service named by the labels, or null when they are missing or not valid slugs. */
  public static @Nullable ServiceRef service(Map<String, String> attributes) {
    String organization = attributes.get(Labels.ORGANIZATION);
    String project = attributes.get(Labels.PROJECT);
    String service = attributes.get(Labels.SERVICE);
    if (organization == null || project == null || service == null) {
      return null;
    }
    try {
      return new ServiceRef(organization, project, service);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A container name as the API reports it ({@code /name}) without the leading slash. */
  public static String stripSlash(String name) {
    return name.startsWith("/") ? name.substring(1) : name;
  }

  static String shortId(String deploymentId) {
    String clean = deploymentId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return clean.length() <= 8 ? clean : clean.substring(clean.length() - 8);
  }
}
