package dev.syntra.server.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhook requests the Standard Webhooks way (https://www.standardwebhooks.com).
 * A request carries {@code webhook-id}, {@code webhook-timestamp} (Unix seconds) and {@code
 * webhook-signature: v1,<base64 HMAC-SHA256>} headers; the HMAC covers {@code id + "." + timestamp
 * + "." + body} under the key that the secret {@code whsec_<base64>} encodes. Any Standard Webhooks
 * library verifies what Syntra sends; this class is a dependency-free verifier receivers may copy.
 *
 * <p>Stateless and thread-safe.
 */
public final class WebhookSignature {
  /** Prefix of every signing secret. */
  public static final String SECRET_PREFIX = "whsec_";

  private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 32;

  private WebhookSignature() {}

  /**
   * Checks a received request.
   *
   * @param secret the endpoint's secret, {@code whsec_<base64>} (the prefix may be left off)
   * @param id the {@code webhook-id} header
   * @param timestamp the {@code webhook-timestamp} header, Unix seconds
   * @param body the raw request body, exactly as received
   * @param header the {@code webhook-signature} header: one or more space-separated {@code
   *     v1,<base64>} signatures (several while a secret is being rotated); other versions are
   *     ignored
   * @param clock the receiver's clock
   * @param tolerance how far the timestamp may be from now, either way (Standard Webhooks suggests
   *     5 minutes); this bounds replays
   * @return whether one signature matches (compared in constant time) and the timestamp is recent
   * @throws IllegalArgumentException if {@code secret} is not base64 (a configuration error, not
   *     bad input)
   */
  public static boolean verify(
      String secret,
      String id,
      String timestamp,
      byte[] body,
      String header,
      Clock clock,
      Duration tolerance) {
    byte[] key = key(secret);
    if (!TIMESTAMP.matcher(timestamp).matches()) {
      return false;
    }
    long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
    if (skew > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = hmac(key, id, timestamp, body);
    boolean matched = false;
    for (String candidate : header.split(" ")) {
      if (!candidate.startsWith("v1,")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(candidate.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      // Every candidate is compared, each in constant time, so timing reveals nothing about them.
      matched |= MessageDigest.isEqual(expected, given);
    }
    return matched;
  }

  /** As {@link #verify(String, String, String, byte[], String, Clock, Duration)}, UTF-8 body. */
  public static boolean verify(
      String secret,
      String id,
      String timestamp,
      String body,
      String header,
      Clock clock,
      Duration tolerance) {
    return verify(
        secret, id, timestamp, body.getBytes(StandardCharsets.UTF_8), header, clock, tolerance);
  }

  /** The {@code webhook-signature} header value for one message: {@code v1,<base64>}. */
  public static String sign(String secret, String id, long timestamp, byte[] body) {
    return "v1,"
        + Base64.getEncoder().encodeToString(hmac(key(secret), id, Long.toString(timestamp), body));
  }

  /** A fresh secret: {@code whsec_} and the base64 of 32 random bytes (from a SecureRandom). */
  public static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] key(String secret) {
    String encoded =
        secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    try {
      byte[] key = Base64.getDecoder().decode(encoded);
      if (key.length == 0) {
        throw new IllegalArgumentException("empty");
      }
      return key;
    } catch (IllegalArgumentException e) {
      // The message never repeats the secret.
      throw new IllegalArgumentException("a webhook secret is whsec_ followed by base64");
    }
  }

  private static byte[] hmac(byte[] key, String id, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }
}
