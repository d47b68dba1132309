package dev.syntra.server.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A generated secret kept in a file of mode 0600: created once (atomically, forced to disk), read
 * on every later start, refused when other users can read it.
 *
 * @param value the secret (a random URL-safe base64 string when generated)
 * @param created whether this call generated it (the file did not exist)
 */
public record SecretFile(String value, boolean created) {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  @Override
  public String toString() {
    return "SecretFile[***]";
  }

  /** Reads the secret in {@code file}, generating 32 random bytes (base64url) when missing. */
  public static SecretFile readOrGenerate(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return readOrCreate(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
  }

  /** Reads the secret in {@code file}, writing {@code fresh} when missing. */
  public static SecretFile readOrCreate(Path file, String fresh) throws IOException {
    Files.createDirectories(file.getParent());
    boolean created = !Files.exists(file) && create(file, fresh);
    var permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IllegalStateException(
          file
              + " is readable by other users ("
              + PosixFilePermissions.toString(permissions)
              + "); run: chmod 600 "
              + file);
    }
    String value = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (value.isEmpty()) {
      throw new IllegalStateException(file + " is empty; delete it to generate a new secret");
    }
    return new SecretFile(value, created);
  }

  /**
   * A 0600 temp file, forced, hard-linked into place (never replacing an existing file, so a
   * concurrent start that loses the race keeps the winner's secret), then the directory forced.
   */
  private static boolean create(Path file, String value) throws IOException {
    Path temp =
        Files.createTempFile(
            file.getParent(),
            file.getFileName() + ".",
            ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      try {
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException raced) {
        return false;
      }
      try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        directory.force(true);
      }
      return true;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
