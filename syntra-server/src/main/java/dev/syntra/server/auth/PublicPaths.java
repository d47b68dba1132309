package dev.syntra.server.auth;

/**
 * The only requests served without an API token: the OpenAPI document, accepting an invitation (the
 * invitation token is the credential), and health probes. Everything else under {@code /api} and
 * {@code /actuator} authenticates.
 */
final class PublicPaths {
  private PublicPaths() {}

  static boolean isPublic(String method, String path) {
    if (path.equals("/api/v1/openapi.json")) {
      return "GET".equals(method);
    }
    if (path.equals("/api/v1/invitations/accept")) {
      return "POST".equals(method);
    }
    return !path.startsWith("/api/");
  }
}
