package dev.syntra.server.secret;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** The limits of env vars: key syntax and length, value size, variables per scope. */
final class EnvRules {
  static final int MAX_KEY_CHARS = 256;
  static final int MAX_VALUE_BYTES = 64 * 1024;
  static final int MAX_VARS = 500;

  private EnvRules() {}

  /** Why {@code key} is not acceptable, or null. */
  static @Nullable String keyProblem(String key) {
    if (key.length() > MAX_KEY_CHARS) {
      return "a key is at most " + MAX_KEY_CHARS + " characters";
    }
    if (!Dotenv.KEY.matcher(key).matches()) {
      return "a key is letters, digits and '_', and does not start with a digit";
    }
    return null;
  }

  /** Why {@code value} is not acceptable, or null. Never quotes the value. */
  static @Nullable String valueProblem(String value) {
    if (value.indexOf('\0') >= 0) {
      return "a value cannot contain NUL characters";
    }
    // Cheap bound first: a UTF-8 encoding has at least one byte per char.
    if (value.length() > MAX_VALUE_BYTES
        || value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      return "a value is at most " + MAX_VALUE_BYTES + " bytes (UTF-8)";
    }
    return EnvResolver.syntaxProblem(value);
  }

  /** The first problem of an assignment, or null. */
  static @Nullable String problem(String key, String value) {
    String problem = keyProblem(key);
    return problem != null ? problem : valueProblem(value);
  }

  static String tooMany(int count) {
    return "a project or service holds at most "
        + MAX_VARS
        + " variables; this would make "
        + count;
  }
}
