package dev.syntra.agent.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Bytes read and written by the host's whole disks since boot, from {@code /proc/diskstats}
 * (sectors of 512 bytes; partitions, loop and RAM devices are left out so nothing is counted
 * twice). The root is a parameter so tests can read fixture files.
 */
final class DiskStats {
  private static final Pattern SKIPPED =
      Pattern.compile("(loop|ram|zram|dm-|md|sr|fd)\\d*.*|(sd|vd|xvd|hd)[a-z]+\\d+|.*\\d+p\\d+");

  /** Cumulative bytes read and written. */
  record Io(long readBytes, long writeBytes) {}

  private final Path file;

  DiskStats(Path procRoot) {
    this.file = procRoot.resolve("diskstats");
  }

  Io read() {
    long read = 0;
    long written = 0;
    try {
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || SKIPPED.matcher(f[2]).matches()) {
          continue;
        }
        read += Long.parseLong(f[5]) * 512;
        written += Long.parseLong(f[9]) * 512;
      }
    } catch (NoSuchFileException e) {
      return new Io(0, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return new Io(read, written);
  }
}
