package dev.syntra.runtime.docker.internal.daemon;

import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

  /** Longest container name: one DNS label. */
  public static final int MAX_NAME_LENGTH = 63;

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
   * {@code syn-{organization}-{project}-{service}-{deploy_short_id}-{replica}}: the short id is the
   * last 8 characters of the deployment id, lower-cased and limited to {@code [a-z0-9]}. The name
   * doubles as a DNS name on the project network (Traefik's canary file routes to it), so it is
   * kept to one DNS label of at most {@value #MAX_NAME_LENGTH} characters: when longer, {@code
   * {project}-{service}} is cut and followed by 6 hex digits of its SHA-256, so the names of
   * different services stay apart.
   */
  public static String containerName(ServiceRef service, String deploymentId, int replica) {
    String prefix = "syn-" + service.organization() + "-";
    String suffix = "-" + shortId(deploymentId) + "-" + replica;
    String middle = service.project() + "-" + service.service();
    int room = MAX_NAME_LENGTH - prefix.length() - suffix.length();
    if (middle.length() > room) {
      String hash = hash(service.project() + "/" + service.service());
      String cut = middle.substring(0, Math.max(0, room - hash.length() - 1));
      middle = (cut.endsWith("-") ? cut.substring(0, cut.length() - 1) : cut) + "-" + hash;
    }
    return prefix + middle + suffix;
  }

  /**
   * {@code syn-{organization}-{project}}: the network of one project. Its replicas resolve each
   * other's aliases there; replicas of other projects (or organizations) are on other networks and
   * can neither resolve nor reach them.
   */
  public static String network(ServiceRef service) {
    return "syn-" + service.organization() + "-" + service.project();
  }

  /** Labels of a project network, so the adapter only ever removes networks it created. */
  public static Map<String, String> networkLabels(ServiceRef service) {
    return Map.of(
        MANAGED, "true", ORGANIZATION, service.organization(), PROJECT, service.project());
  }

  /** Docker label filters selecting every container of the project of {@code service}. */
  public static Map<String, String> projectFilter(ServiceRef service) {
    return networkLabels(service);
  }

  /** The service named by the labels, or null when they are missing or not valid slugs. */
  public static @Nullable ServiceRef service(Map<String, String> attributes) {
    String organization = attributes.get(ORGANIZATION);
    String project = attributes.get(PROJECT);
    String service = attributes.get(SERVICE);
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

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String shortId(String deploymentId) {
    String clean = deploymentId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return clean.length() <= 8 ? clean : clean.substring(clean.length() - 8);
  }
}
