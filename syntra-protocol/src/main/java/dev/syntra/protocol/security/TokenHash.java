package dev.syntra.protocol.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The stored form of a token: {@code sha256:} and the hex SHA-256 of the token. Tokens carry ≥ 160
 * random bits, so a plain fast hash is enough (no salt or stretching is needed for guessing
 * resistance). Compare with {@link #matches(String)}, which takes constant time.
 */
public record TokenHash(String value) {
  private static final Pattern FORMAT = Pattern.compile("sha256:[0-9a-f]{64}");

  public TokenHash {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("value: must be 'sha256:' and 64 lower-case hex digits");
    }
  }

  /** The hash of {@code token}. */
  public static TokenHash of(String token) {
    return new TokenHash("sha256:" + HexFormat.of().formatHex(sha256(token)));
  }

  /** Whether {@code candidate} hashes to this value; time does not depend on where they differ. */
  public boolean matches(String candidate) {
    return constantTimeEquals(of(candidate).value, value);
  }

  /** Constant-time string equality (length is not hidden). */
  public static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "TokenHash[" + value.substring(0, 15) + "…]";
  }
}
