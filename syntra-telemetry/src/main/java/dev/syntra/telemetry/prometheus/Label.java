package dev.syntra.telemetry.prometheus;

import java.util.Objects;

/** One label of a sample, name and value as written (escapes resolved). */
public record Label(String name, String value) {
  public Label {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
