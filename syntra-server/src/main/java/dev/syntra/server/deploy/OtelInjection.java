package dev.syntra.server.deploy;

import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * The operator's switch for the {@code OTEL_*} environment deploys inject: {@code
 * SYNTRA_OTEL_INJECT}, default {@code true}; {@code false} turns injection off for every service.
 */
public record OtelInjection(boolean enabled) {
  /** The variable's name. */
  public static final String VARIABLE = "SYNTRA_OTEL_INJECT";

  /**
   * Reads the setting.
   *
   * @throws IllegalStateException naming the variable and the expected form when it is malformed
   */
  public static OtelInjection from(Environment env) {
    String value = env.getProperty(VARIABLE, "true").strip().toLowerCase(Locale.ROOT);
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalStateException(VARIABLE + ": expected true or false, got '" + value + "'");
    }
    return new OtelInjection(value.equals("true"));
  }
}
