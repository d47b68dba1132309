package dev.syntra.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * A member's role in an organization (spec §13.3), from most to least powerful. A project may
 * override it for one member (never above {@code admin}).
 */
public enum Role {
  OWNER,
  ADMIN,
  DEVELOPER,
  VIEWER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this role is at least as powerful as {@code other}. */
  public boolean atLeast(Role other) {
    return ordinal() <= other.ordinal();
  }

  public static Optional<Role> fromWireName(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
