package dev.syntra.server.crypto;

import dev.syntra.server.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 32-byte root of every encryption key: {@code SYNTRA_MASTER_KEY} (base64), or {@code
 * master.key} in the data dir, generated on first start with mode 0600. Losing it makes every
 * stored secret unreadable; {@link #toString()} never shows it.
 */
public final class MasterKey {
  static final int LENGTH = 32;
  private final byte[] key;

  private MasterKey(byte[] key) {
    this.key = key;
  }

  /** The configured key, or the one in the data dir (created when missing). */
  public static MasterKey load(ServerSettings settings) {
    String configured = settings.masterKey();
    if (configured != null) {
      return new MasterKey(decode(configured, "SYNTRA_MASTER_KEY"));
    }
    Path file = settings.dataDir().resolve("master.key");
    try {
      Files.createDirectories(settings.dataDir());
      if (!Files.exists(file)) {
        create(file);
      }
      checkPermissions(file);
      return new MasterKey(
          decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read or create the master key at " + file, e);
    }
  }

  /**
   * Refuses a configured key that is not base64 of 32 bytes, naming {@code variable}; checked
   * before the server opens any port.
   */
  public static void check(String base64, String variable) {
    Arrays.fill(decode(base64.strip(), variable), (byte) 0);
  }

  /** The key in {@code base64}, as configured in {@code variable}. */
  public static MasterKey parse(String base64, String variable) {
    return new MasterKey(decode(base64.strip(), variable));
  }

  /** A key from raw bytes (tests, rotation tooling). */
  public static MasterKey of(byte[] key) {
    if (key.length != LENGTH) {
      throw new IllegalArgumentException("a master key is exactly 32 bytes");
    }
    return new MasterKey(key.clone());
  }

  byte[] bytes() {
    return key;
  }

  /**
   * Identifies the key without revealing it (HMAC-SHA256 of a fixed label, first 16 bytes in hex),
   * so the database can record which key its secrets are sealed under.
   */
  public String fingerprint() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest =
          mac.doFinal("syntra/master-key-fingerprint/v1".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  /**
   * Writes a new key durably and atomically: a 0600 temp file, forced to disk, hard-linked into
   * place, then the directory forced, so a crash never leaves an empty or partial key behind (which
   * would make every secret sealed under it unreadable). A concurrent start that loses the race
   * keeps the winner's key.
   */
  private static void create(Path file) throws IOException {
    byte[] fresh = new byte[LENGTH];
    new SecureRandom().nextBytes(fresh);
    Path temp =
        Files.createTempFile(
            file.getParent(),
            "master.key.",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(
            ByteBuffer.wrap(
                (Base64.getEncoder().encodeToString(fresh) + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
      }
      try {
        // A hard link appears atomically and, unlike rename, never replaces an existing key.
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException raced) {
        return; // another process created it first; use theirs
      }
      try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        directory.force(true);
      }
    } finally {
      Arrays.fill(fresh, (byte) 0);
      Files.deleteIfExists(temp);
    }
  }

  /** Refuses a key file others can read: it decrypts every secret. */
  private static void checkPermissions(Path file) throws IOException {
    var permissions = Files.getPosixFilePermissions(file);
    if (permissions.stream()
        .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
      throw new IllegalStateException(
          file
              + " is readable by other users ("
              + PosixFilePermissions.toString(permissions)
              + "); run: chmod 600 "
              + file);
    }
  }

  private static byte[] decode(String base64, String source) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          source + " is not valid base64; it must hold 32 random bytes");
    }
    if (decoded.length != LENGTH) {
      throw new IllegalStateException(
          source
              + " must decode to 32 bytes (got "
              + decoded.length
              + "); generate one with"
              + " `head -c 32 /dev/urandom | base64`");
    }
    return decoded;
  }

  @Override
  public String toString() {
    return "MasterKey[***]";
  }
}
