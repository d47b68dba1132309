package dev.syntra.telemetry.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Counts invalid items of one request and keeps the first problem as the message. */
final class ValidationProblems {
  private long invalid;
  private @Nullable String first;

  void add(long items, String problem) {
    if (items <= 0) {
      return;
    }
    invalid += items;
    if (first == null) {
      first = problem;
    }
  }

  long invalid() {
    return invalid;
  }

  @Nullable String message() {
    if (first == null) {
      return null;
    }
    return invalid == 1 ? first : first + " (" + invalid + " invalid items in total)";
  }

  /** A problem of {@code attributes} named {@code path}, or null when all are within depth. */
  static @Nullable String attributes(List<KeyValue> attributes, String path) {
    for (int i = 0; i < attributes.size(); i++) {
      if (tooDeep(attributes.get(i).getValue(), 1)) {
        return path + "[" + i + "].value: " + deepMessage();
      }
    }
    return null;
  }

  static String deepMessage() {
    return "attribute value nested deeper than " + OtlpValidation.MAX_VALUE_DEPTH + " levels";
  }

  static boolean tooDeep(AnyValue value, int depth) {
    if (depth > OtlpValidation.MAX_VALUE_DEPTH) {
      return true;
    }
    switch (value.getValueCase()) {
      case ARRAY_VALUE -> {
        for (AnyValue v : value.getArrayValue().getValuesList()) {
          if (tooDeep(v, depth + 1)) {
            return true;
          }
        }
      }
      case KVLIST_VALUE -> {
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          if (tooDeep(kv.getValue(), depth + 1)) {
            return true;
          }
        }
      }
      default -> {
        // scalar: depth is fine
      }
    }
    return false;
  }
}
