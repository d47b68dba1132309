package dev.syntra.protocol.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks shared by the records of this module. They throw {@link IllegalArgumentException}
 * with a message that starts with the field name, which the JSON codec turns into an {@code
 * invalid_field} error at that field's path.
 */
public final class Checks {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private Checks() {}

  public static <T> T notNull(@Nullable T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": must not be null");
    }
    return value;
  }

  public static String notBlank(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": must not be blank");
    }
    return value;
  }

  /** An opaque id such as a deployment, message or stream id: 1-128 of {@code [A-Za-z0-9_.:-]}. */
  public static String identifier(@Nullable String value, String field) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field + ": must be 1-128 characters of letters, digits, '_', '.', ':' or '-'");
    }
    return value;
  }

  /** A lower-case RFC 1123 label (1-63 characters), usable in container names and DNS. */
  public static String dnsLabel(@Nullable String value, String field) {
    if (value == null || !DNS_LABEL.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + ": must be a DNS label (1-63 characters of a-z, 0-9 and '-', starting and ending"
              + " with a letter or digit)");
    }
    return value;
  }

  public static int range(int value, int min, int max, String field) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + ": must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public static long nonNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + ": must not be negative, was " + value);
    }
    return value;
  }

  public static double percent(double value, String field, double max) {
    if (!(value >= 0 && value <= max)) {
      throw new IllegalArgumentException(
          field + ": must be between 0 and " + max + ", was " + value);
    }
    return value;
  }

  /** An immutable copy that keeps order and rejects null elements. */
  public static <T> List<T> list(@Nullable List<T> values, String field) {
    if (values == null) {
      return List.of();
    }
    List<T> copy = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      copy.add(notNull(values.get(i), field + "[" + i + "]"));
    }
    return Collections.unmodifiableList(copy);
  }

  /** An immutable copy that keeps insertion order and rejects null keys and values. */
  public static <V> Map<String, V> map(@Nullable Map<String, V> values, String field) {
    if (values == null) {
      return Map.of();
    }
    Map<String, V> copy = new LinkedHashMap<>();
    values.forEach((key, value) -> {
      Objects.requireNonNull(key, field + ": null key");
      copy.put(key, notNull(value, field + "." + key));
    });
    return Collections.unmodifiableMap(copy);
  }
}
