package dev.syntra.server.auth;

/**
 * The only requests served without an API token: the OpenAPI document, accepting an invitation (the
 * invitation token is the credential), the agent installer and tarball, and health probes.
 * Everything else under {@code /api} and {@code /actuator} authenticates.
 */
final class PublicPaths {
  private PublicPaths() {}

  static boolean isPublic(String method, String path) {
    return switch (path) {
      case "/api/v1/openapi.json" -> "GET".equals(method);
      case "/api/v1/invitations/accept" -> "POST".equals(method);
      // The agent installer and its tarball: what `curl ... | sudo sh` fetches on a new server.
      case "/install.sh",
          "/downloads/syntra-agent-linux-x86_64.tar.gz",
          "/downloads/syntra-agent-linux-aarch64.tar.gz" ->
          "GET".equals(method) || "HEAD".equals(method);
      default -> false;
    };
  }

  /** Paths the metrics filter guards instead (operator endpoints, not tenants'). */
  static boolean isOperator(String path) {
    return path.equals("/actuator") || path.startsWith("/actuator/");
  }
}
