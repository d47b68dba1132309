package dev.syntra.server.fleet;

import dev.syntra.server.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The agent distribution this server offers, from {@code SYNTRA_AGENT_DIST_DIR} (default {@code
 * <data dir>/agent-dist}): {@code install.sh}, the newest {@code
 * syntra-agent-<version>-linux-<arch>.tar.gz} per architecture and its {@code .tar.gz.sha256}
 * (sha256sum format, written by {@code scripts/agent-dist.sh}). The directory is read on every
 * call, so a rebuilt distribution is offered without a restart. Thread-safe.
 */
@Component
final class AgentDistribution {
  /** The CPU architectures an agent is built for, as {@code uname -m} names them. */
  static final List<String> ARCHITECTURES = List.of("x86_64", "aarch64");

  private static final Logger log = LoggerFactory.getLogger(AgentDistribution.class);
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;

  @Autowired
  AgentDistribution(ServerSettings settings, Environment env) {
    this(
        Path.of(
            env.getProperty(
                "SYNTRA_AGENT_DIST_DIR", settings.dataDir().resolve("agent-dist").toString())));
  }

  AgentDistribution(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** The newest tarball for {@code arch}, if any. */
  Optional<Path> tarball(String arch) {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    String suffix = "-linux-" + arch + ".tar.gz";
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("syntra-agent-"))
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .filter(Files::isRegularFile)
          .max(Comparator.comparing(f -> f.toFile().lastModified()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The SHA-256 (lower-case hex) of the tarball served for each architecture, from the {@code
   * .sha256} file next to it. An architecture whose tarball has no readable checksum file is left
   * out (and logged): install.sh then refuses to install it unchecked.
   */
  Map<String, String> sha256ByArch() {
    Map<String, String> sums = new LinkedHashMap<>();
    for (String arch : ARCHITECTURES) {
      tarball(arch).flatMap(AgentDistribution::checksumOf).ifPresent(sum -> sums.put(arch, sum));
    }
    return sums;
  }

  private static Optional<String> checksumOf(Path tarball) {
    Path file = tarball.resolveSibling(tarball.getFileName() + ".sha256");
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      String hex = text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
      if (SHA256.matcher(hex).matches()) {
        return Optional.of(hex);
      }
      log.warn("{} does not start with a SHA-256 (64 hex digits): install commands omit it", file);
    } catch (IOException e) {
      log.warn("no readable {} ({}): install commands cannot carry the tarball's SHA-256", file, e);
    }
    return Optional.empty();
  }
}
