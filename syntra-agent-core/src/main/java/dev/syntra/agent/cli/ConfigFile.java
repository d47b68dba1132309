package dev.syntra.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The agent's config file ({@code /etc/syntra/agent.conf}): {@code key=value} lines, {@code #}
 * comments and blank lines ignored, values may be quoted. Lower-case keys are agent settings
 * ({@link #AGENT_KEYS}); upper-case keys ({@code DOCKER_HOST}, {@code SYNTRA_KUBERNETES_API}, …)
 * are settings for the runtime adapter. Anything else is an error naming the line.
 */
public final class ConfigFile {
  /** The agent settings a config file may hold. */
  public static final List<String> AGENT_KEYS =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(
                  "endpoint",
                  "token",
                  "token_file",
                  "ca_sha256",
                  "state_dir",
                  "runtime",
                  "allow_insecure_ws"),
              TelemetryOptions.KEYS.stream())
          .toList();

  private static final Pattern RUNTIME_KEY = Pattern.compile("[A-Z_][A-Z0-9_]*");

  private final Map<String, String> agent;
  private final Map<String, String> runtime;

  private ConfigFile(Map<String, String> agent, Map<String, String> runtime) {
    this.agent = Map.copyOf(agent);
    this.runtime = Map.copyOf(runtime);
  }

  /** An empty config. */
  public static ConfigFile empty() {
    return new ConfigFile(Map.of(), Map.of());
  }

  /**
   * Reads {@code file}. A missing file is an empty config when {@code required} is false.
   *
   * @throws IllegalArgumentException for a syntax error or an unknown key, naming file and line
   */
  public static ConfigFile read(Path file, boolean required) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new IllegalArgumentException("config file " + file + " does not exist");
      }
      return empty();
    }
    return parse(lines, file.toString());
  }

  /** Parses config lines; {@code source} names them in errors. */
  static ConfigFile parse(List<String> lines, String source) {
    Map<String, String> agent = new LinkedHashMap<>();
    Map<String, String> runtime = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            source + " line " + (i + 1) + ": expected key=value, got '" + abbreviate(line) + "'");
      }
      String key = line.substring(0, eq).strip();
      String value = unquote(line.substring(eq + 1).strip());
      if (AGENT_KEYS.contains(key)) {
        agent.put(key, value);
      } else if (RUNTIME_KEY.matcher(key).matches()) {
        runtime.put(key, value);
      } else {
        throw new IllegalArgumentException(
            source
                + " line "
                + (i + 1)
                + ": unknown key '"
                + key
                + "'; known keys: "
                + String.join(", ", AGENT_KEYS)
                + ", or upper-case runtime settings such as DOCKER_HOST");
      }
    }
    return new ConfigFile(agent, runtime);
  }

  /** An agent setting, if present and not blank. */
  public Optional<String> get(String key) {
    String value = agent.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** A boolean agent setting: {@code true/false/yes/no/1/0}. */
  public Optional<Boolean> flag(String key) {
    return get(key)
        .map(v ->
            switch (v.toLowerCase(java.util.Locale.ROOT)) {
              case "true", "yes", "1", "on" -> true;
              case "false", "no", "0", "off" -> false;
              default ->
                  throw new IllegalArgumentException(
                      "config key " + key + " must be true or false, got '" + v + "'");
            });
  }

  /** Runtime adapter settings (upper-case keys). */
  public Map<String, String> runtimeSettings() {
    return runtime;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static String abbreviate(String line) {
    // A malformed line may hold a token; show only its start.
    return line.length() <= 12 ? line : line.substring(0, 12) + "…";
  }

  @Override
  public String toString() {
    return "ConfigFile[keys=" + agent.keySet() + ", runtimeKeys=" + runtime.keySet() + "]";
  }
}
