package dev.syntra.protocol.internal;

import java.security.SecureRandom;

/** Base62 alphabet helpers ({@code 0-9A-Za-z}). */
public final class Base62 {
  public static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private Base62() {}

  /** {@code length} characters drawn uniformly from the alphabet (log2(62) ≈ 5.95 bits each). */
  public static String random(SecureRandom random, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET.charAt(random.nextInt(62));
    }
    return new String(out);
  }

  /** {@code value} (unsigned) in exactly {@code width} characters, zero-padded. */
  public static String fixedWidth(long value, int width) {
    char[] out = new char[width];
    long rest = value;
    for (int i = width - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) Long.remainderUnsigned(rest, 62));
      rest = Long.divideUnsigned(rest, 62);
    }
    if (rest != 0) {
      throw new IllegalArgumentException(value + " does not fit in " + width + " base62 digits");
    }
    return new String(out);
  }

  public static boolean isBase62(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }
}
