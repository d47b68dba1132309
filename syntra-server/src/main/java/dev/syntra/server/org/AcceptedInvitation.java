package dev.syntra.server.org;

import java.util.List;
import java.util.UUID;

/**
 * The answer to accepting an invitation: the membership and an API token for that organization,
 * shown only this once. Its scopes follow the role: viewer {@code read}; developer {@code read,
 * write, deploy}; admin {@code admin}.
 */
public record AcceptedInvitation(
    UUID orgId,
    String orgName,
    String orgSlug,
    UUID userId,
    String role,
    UUID tokenId,
    List<String> scopes,
    String token) {

  @Override
  public String toString() {
    return "AcceptedInvitation[org=" + orgId + ", user=" + userId + ", token=***]";
  }
}
