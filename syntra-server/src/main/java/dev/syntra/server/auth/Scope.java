package dev.syntra.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do, whatever its user's role: {@code read} views, {@code write} changes
 * configuration, {@code deploy} starts and controls deployments, {@code admin} manages the
 * organization (members, tokens, servers, webhooks, revealing secrets). {@code admin} implies all
 * others; {@code write} and {@code deploy} imply {@code read}.
 */
public enum Scope {
  READ,
  WRITE,
  DEPLOY,
  ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean implies(Scope other) {
    return this == other || this == ADMIN || other == READ;
  }

  public static Optional<Scope> fromWireName(String name) {
    for (Scope scope : values()) {
      if (scope.wireName().equals(name)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }
}
