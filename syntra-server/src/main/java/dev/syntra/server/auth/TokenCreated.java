package dev.syntra.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A new API token with its value, the only time the value is shown. */
public record TokenCreated(
    UUID id,
    UUID orgId,
    UUID userId,
    String name,
    List<String> scopes,
    Instant createdAt,
    @Nullable Instant expiresAt,
    String token) {

  public TokenCreated {
    scopes = List.copyOf(scopes);
  }

  static TokenCreated of(TokenView view, String token) {
    return new TokenCreated(
        view.id(),
        view.orgId(),
        view.userId(),
        view.name(),
        view.scopes(),
        view.createdAt(),
        view.expiresAt(),
        token);
  }

  @Override
  public String toString() {
    return "TokenCreated[id=" + id + ", name=" + name + ", token=***]";
  }
}
