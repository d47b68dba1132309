package dev.syntra.server.config;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a failed start caused by a bad setting into Spring Boot's short "APPLICATION FAILED TO
 * START" report: the message (which names the {@code SYNTRA_*} variable and its expected form) and
 * what to do, without the stack trace (logged at DEBUG only). A configuration error is any failure
 * whose cause chain holds a message starting with {@code SYNTRA_}, the convention every setting
 * check of the server follows.
 */
public final class ConfigurationFailureAnalyzer implements FailureAnalyzer {
  @Override
  public @Nullable FailureAnalysis analyze(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && message.startsWith("SYNTRA_")) {
        return new FailureAnalysis(
            message,
            "Fix that setting (an environment variable, or a --NAME=value argument) and start"
                + " again. README.md lists every SYNTRA_* variable.",
            t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
