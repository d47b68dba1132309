package dev.syntra.server.secret;

import java.time.Instant;

/**
 * An env var as the API shows it: {@code value} is {@value #MASK} unless an admin revealed it.
 *
 * @param masked whether {@code value} is the mask rather than the value
 */
public record EnvVarView(String key, String value, boolean masked, Instant updatedAt) {
  /** Shown instead of a value; the same for every value, so it does not even leak lengths. */
  public static final String MASK = "••••••";
}
