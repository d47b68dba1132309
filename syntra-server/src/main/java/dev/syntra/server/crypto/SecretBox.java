package dev.syntra.server.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets with AES-256-GCM under a per-organization key: HKDF-SHA256 (RFC 5869) of the master
 * key, with the organization id and a key version as context. A sealed value is {@code nonce(12) ||
 * ciphertext || tag(16)}. The associated data binds a ciphertext to the row it belongs to (e.g.
 * {@code env:<service id>:DATABASE_URL}), so a value copied to another row does not decrypt.
 *
 * <p>Thread-safe. Derived keys are cached (bounded); plaintext is never logged.
 */
public final class SecretBox {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MAX_CACHED_KEYS = 10_000;
  private static final byte[] SALT = "syntra/org-key/v1".getBytes(StandardCharsets.US_ASCII);

  private final MasterKey master;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, SecretKeySpec> keys =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SecretKeySpec> eldest) {
          return size() > MAX_CACHED_KEYS;
        }
      };

  public SecretBox(MasterKey master) {
    this.master = master;
  }

  /** Seals {@code plaintext} for {@code orgId} under key {@code keyVersion}. */
  public byte[] seal(UUID orgId, int keyVersion, String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, key(orgId, keyVersion), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /**
   * Opens a sealed value; throws {@link IllegalStateException} if it was tampered with or moved.
   */
  public String open(UUID orgId, int keyVersion, byte[] sealed, String associatedData) {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalStateException("sealed value is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key(orgId, keyVersion),
          new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException e) {
      throw new IllegalStateException(
          "a sealed value failed authentication: wrong master key, or the value was altered or moved");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private synchronized SecretKeySpec key(UUID orgId, int keyVersion) {
    return keys.computeIfAbsent(orgId + "/" + keyVersion, k -> derive(orgId, keyVersion));
  }

  private SecretKeySpec derive(UUID orgId, int keyVersion) {
    byte[] info =
        ByteBuffer.allocate(16 + 4)
            .putLong(orgId.getMostSignificantBits())
            .putLong(orgId.getLeastSignificantBits())
            .putInt(keyVersion)
            .array();
    try {
      Mac extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(SALT, "HmacSHA256"));
      byte[] prk = extract.doFinal(master.bytes());
      Mac expand = Mac.getInstance("HmacSHA256");
      expand.init(new SecretKeySpec(prk, "HmacSHA256"));
      expand.update(info);
      expand.update((byte) 1);
      return new SecretKeySpec(expand.doFinal(), "AES"); // 32 bytes: one HKDF block
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "SecretBox[AES-256-GCM, HKDF-SHA256 per organization]";
  }
}
