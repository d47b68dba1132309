package dev.syntra.protocol.runtime;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Base of the JUnit conditions for tests that need a real engine (a Docker daemon, the local test
 * registry), which {@code scripts/engines/docker-up.sh} starts. Without the engine a test is
 * skipped with the reason printed to stderr; with {@code CI=true} it fails instead, because CI must
 * never skip silently. Each subclass probes once per JVM. What only a test itself can find out (a
 * tool on the PATH, root, a kernel feature, a shared fixture) goes through {@link #require}, the
 * same rule as a one-line call.
 */
public abstract class ContractEngine implements ExecutionCondition {
  private static final Map<Class<?>, Optional<String>> PROBED = new ConcurrentHashMap<>();

  /** Null when the engine answers, else why it does not (for the skip message). */
  protected abstract @Nullable String probe();

  /** Null when the local test registry (127.0.0.1:5000) answers, else why not. */
  protected static @Nullable String registryProblem() {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create("http://127.0.0.1:5000/v2/").toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(2000);
      int code = c.getResponseCode();
      c.disconnect();
      return code == 200 ? null : "the test registry on 127.0.0.1:5000 answered " + code;
    } catch (IOException e) {
      return "the test registry on 127.0.0.1:5000 does not answer: " + e;
    }
  }

  /**
   * Skips the running test with {@code reason} printed to stderr unless {@code available}; with
   * {@code CI=true} fails it instead. Use it for every environment a test depends on, never a bare
   * {@code assumeTrue}.
   */
  public static void require(boolean available, String reason) {
    if (available) {
      return;
    }
    if (inCi()) {
      throw new IllegalStateException("CI=true requires it: " + reason);
    }
    System.err.println("SKIPPED (missing in this environment): " + reason);
    throw new TestAbortedException(reason);
  }

  private static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  @Override
  public final ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> reason =
        PROBED.computeIfAbsent(getClass(), type -> Optional.ofNullable(probe()));
    if (reason.isEmpty()) {
      return ConditionEvaluationResult.enabled("the engines answer");
    }
    String message =
        reason.get()
            + "; start them with scripts/engines/docker-up.sh ("
            + context.getDisplayName()
            + ")";
    if (inCi()) {
      throw new IllegalStateException("CI=true requires the engines: " + message);
    }
    System.err.println("SKIPPED (no engine): " + message);
    return ConditionEvaluationResult.disabled(message);
  }
}
