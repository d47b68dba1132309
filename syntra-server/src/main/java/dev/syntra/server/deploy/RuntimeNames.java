package dev.syntra.server.deploy;

import dev.syntra.protocol.runtime.ServiceRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * How runtimes name a service: organization key, project slug, service name. The organization key
 * keeps two organizations that share a Docker host or cluster apart (names, labels, networks).
 */
public final class RuntimeNames {
  private RuntimeNames() {}

  /**
   * 12 hex digits of SHA-256 of the organization id: stable, DNS-safe and short enough for
   * container names and Kubernetes namespaces (a UUIDv7 prefix would repeat for organizations
   * created in the same minute).
   */
  public static String organizationKey(UUID orgId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(orgId.toString().getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The runtime reference of a service of {@code orgId}. */
  public static ServiceRef serviceRef(UUID orgId, String projectSlug, String serviceName) {
    return new ServiceRef(organizationKey(orgId), projectSlug, serviceName);
  }
}
