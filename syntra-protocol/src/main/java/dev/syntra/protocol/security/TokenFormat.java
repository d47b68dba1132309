package dev.syntra.protocol.security;

import dev.syntra.protocol.internal.Base62;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * A family of secret tokens: a fixed prefix, 30 random base62 characters (≈178 bits) and a 6
 * character base62 CRC32 checksum, e.g. {@code syn_tkn_3Fh…Zq0aB12c}. The checksum lets a receiver
 * reject mistyped or truncated tokens without a database lookup; it adds no secrecy.
 *
 * <p>Tokens are stored only as {@link TokenHash}es. Thread-safe.
 */
public final class TokenFormat {
  /** Number of random characters. 30 × log2(62) ≈ 178.6 bits of entropy. */
  public static final int RANDOM_CHARS = 30;

  private static final int CHECKSUM_CHARS = 6;
  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]*_[a-z0-9]+_");

  // Declared after PREFIX: static initialisers run in order.
  /** Agent registration tokens and agent credentials. */
  public static final TokenFormat AGENT = new TokenFormat("syn_tkn_");

  private final String prefix;

  /** A token family with its own prefix, such as {@code syn_pat_}. */
  public TokenFormat(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix: must look like 'syn_xxx_' (lower-case words joined and ended by '_')");
    }
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** Length of every token of this format. */
  public int length() {
    return prefix.length() + RANDOM_CHARS + CHECKSUM_CHARS;
  }

  /** A new random token. */
  public String generate(SecureRandom random) {
    String body = prefix + Base62.random(random, RANDOM_CHARS);
    return body + checksum(body);
  }

  /** Whether {@code token} has this prefix, the right length and alphabet, and a valid checksum. */
  public boolean isWellFormed(String token) {
    if (token == null || token.length() != length() || !token.startsWith(prefix)) {
      return false;
    }
    String tail = token.substring(prefix.length());
    if (!Base62.isBase62(tail)) {
      return false;
    }
    String body = token.substring(0, token.length() - CHECKSUM_CHARS);
    return TokenHash.constantTimeEquals(
        checksum(body), token.substring(token.length() - CHECKSUM_CHARS));
  }

  /** A display form safe for logs and UIs: prefix plus the first four random characters. */
  public static String redact(String token) {
    if (token == null) {
      return "null";
    }
    int cut = token.lastIndexOf('_') + 1;
    return token.substring(0, Math.min(token.length(), cut + Math.min(4, token.length() - cut)))
        + "…";
  }

  private static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    return Base62.fixedWidth(crc.getValue(), CHECKSUM_CHARS);
  }

  @Override
  public String toString() {
    return "TokenFormat[" + prefix + "]";
  }
}
