package dev.syntra.protocol.security;

import dev.syntra.protocol.internal.Base62;
import java.security.SecureRandom;

/** Random identifiers for envelopes. Thread-safe. */
public final class SecureIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecureIds() {}

  /** {@code msg_} + 22 base62 characters (≈131 random bits). */
  public static String messageId() {
    return "msg_" + Base62.random(RANDOM, 22);
  }

  /** 22 base62 characters (≈131 random bits), unique per message for the replay window. */
  public static String nonce() {
    return Base62.random(RANDOM, 22);
  }
}
