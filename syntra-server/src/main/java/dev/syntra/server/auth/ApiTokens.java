package dev.syntra.server.auth;

import dev.syntra.protocol.security.TokenFormat;
import java.util.regex.Pattern;

/**
 * The API token format: {@code syn_pat_} and base62 characters. Generated tokens have 30 random
 * characters and a checksum ({@link TokenFormat}); a bootstrap token set by an operator only needs
 * at least 32 base62 characters.
 */
public final class ApiTokens {
  public static final TokenFormat FORMAT = new TokenFormat("syn_pat_");

  private static final Pattern SHAPE = Pattern.compile("syn_pat_[0-9A-Za-z]{32,128}");

  private ApiTokens() {}

  /** Cheap check before any database work: prefix, alphabet and length. */
  public static boolean looksValid(String token) {
    return SHAPE.matcher(token).matches();
  }
}
