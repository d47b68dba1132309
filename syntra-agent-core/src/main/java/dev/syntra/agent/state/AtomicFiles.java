package dev.syntra.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file writes: a temp file in the same directory, written with owner-only permissions,
 * flushed to disk, then atomically moved over the target, then the directory is synced. A reader
 * sees either the old or the new content, never a torn file.
 */
public final class AtomicFiles {
  private static final Set<PosixFilePermission> FILE_MODE =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> DIR_MODE =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code content} atomically and durably; the file gets mode 0600.
   */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp =
        dir.resolve(
            "."
                + target.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    try {
      try (FileChannel channel = openPrivate(tmp)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    syncDirectory(dir);
  }

  /** Creates {@code dir} (and parents) if missing and restricts it to its owner (mode 0700). */
  public static void createPrivateDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(dir, DIR_MODE);
    }
  }

  /**
   * Opens {@code file} for appending, creating it with mode 0600; an existing file is restricted to
   * 0600 as well (an older agent created it with the umask's mode).
   */
  public static FileChannel openPrivateAppend(Path file) throws IOException {
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE_MODE));
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, options);
    }
    try {
      Files.setPosixFilePermissions(file, FILE_MODE);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return channel;
  }

  /** Removes temp files a crash left behind in {@code dir}. */
  public static void removeLeftovers(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".tmp")) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static FileChannel openPrivate(Path file) throws IOException {
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      FileAttribute<Set<PosixFilePermission>> mode =
          PosixFilePermissions.asFileAttribute(FILE_MODE);
      return FileChannel.open(file, options, mode);
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, options);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("temp file " + file + " already exists", e);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems cannot sync a directory; the rename itself is still atomic there.
    }
  }
}
