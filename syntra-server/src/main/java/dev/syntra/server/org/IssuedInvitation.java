package dev.syntra.server.org;

import java.time.Instant;
import java.util.UUID;

/**
 * A new invitation and its token, the only time the token is shown. The invitee accepts it with
 * {@code POST /api/v1/invitations/accept {"token": ..., "name": ...}}; only its hash is stored.
 */
public record IssuedInvitation(
    UUID id, String email, String role, String status, Instant expiresAt, String token) {

  static IssuedInvitation of(InvitationView view, String token) {
    return new IssuedInvitation(
        view.id(), view.email(), view.role(), view.status(), view.expiresAt(), token);
  }

  @Override
  public String toString() {
    return "IssuedInvitation[id=" + id + ", role=" + role + ", token=***]";
  }
}
