package dev.syntra.agent.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Facts about the machine sent in {@code agent_hello}: operating system, architecture, host name.
 */
public final class HostFacts {
  private HostFacts() {}

  /**
   * {@code ID-VERSION_ID} from an os-release file, e.g. {@code debian-12}; {@code ID} alone when
   * there is no version (rolling releases); {@code linux} when the file is missing.
   */
  public static String os(Path osRelease) {
    Map<String, String> values = new HashMap<>();
    try {
      for (String line : Files.readAllLines(osRelease)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          values.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1).trim()));
        }
      }
    } catch (NoSuchFileException e) {
      return "linux";
    } catch (IOException e) {
      return "linux";
    }
    String id = values.getOrDefault("ID", "").isBlank() ? "linux" : values.get("ID");
    String version = values.getOrDefault("VERSION_ID", "");
    return version.isBlank() ? id : id + "-" + version;
  }

  /** The CPU architecture in the kernel's naming: {@code amd64} becomes {@code x86_64}. */
  public static String arch(String javaOsArch) {
    String arch = javaOsArch.toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86-64" -> "x86_64";
      case "arm64" -> "aarch64";
      case "x86", "i686" -> "i386";
      default -> arch;
    };
  }

  /** The host name from the kernel, else {@code $HOSTNAME}, else the resolver. */
  public static String hostname(ProcFs proc) {
    try {
      String name = proc.hostname();
      if (!name.isBlank()) {
        return name;
      }
    } catch (RuntimeException e) {
      // Not Linux, or /proc not mounted: try the others.
    }
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }
}
