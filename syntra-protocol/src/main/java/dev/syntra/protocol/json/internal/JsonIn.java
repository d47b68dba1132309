package dev.syntra.protocol.json.internal;

import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads fields of one JSON object and knows its JSON path, so every error names the exact field
 * ({@code $.payload.spec.ports[1].container_port}). Absent and {@code null} fields are the same;
 * unknown fields are ignored.
 */
public final class JsonIn {
  private static final Pattern FIELD_MESSAGE =
      Pattern.compile("([a-z0-9_]+(?:\\[\\d+])?(?:\\.[A-Za-z0-9_.-]+)?): (.*)", Pattern.DOTALL);

  private final JsonNode node;
  private final String path;

  private JsonIn(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** Wraps an object node found at {@code path}; fails if it is not an object. */
  public static JsonIn object(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new ProtocolException(
          ProtocolErrorCode.INVALID_FIELD, path, "must be an object, was " + describe(node));
    }
    return new JsonIn(node, path);
  }

  public String path() {
    return path;
  }

  public String path(String field) {
    return path + "." + field;
  }

  /** Path of a map key: {@code $.env.NAME}, or {@code $.env["a.b"]} when the key is not plain. */
  private String keyPath(String key) {
    if (key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return path(key);
    }
    return path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  public boolean has(String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  public String string(String field) {
    return notNull(optString(field), field);
  }

  public @Nullable String optString(String field) {
    JsonNode value = value(field);
    if (value == null) {
      return null;
    }
    if (!value.isString()) {
      throw invalid(field, "must be a string, was " + describe(value));
    }
    return value.stringValue();
  }

  public int int32(String field) {
    return (int) integer(field, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  public int int32(String field, int defaultValue) {
    return has(field) ? int32(field) : defaultValue;
  }

  public @Nullable Integer optInt32(String field) {
    return has(field) ? int32(field) : null;
  }

  public long int64(String field) {
    return integer(field, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  public long int64(String field, long defaultValue) {
    return has(field) ? int64(field) : defaultValue;
  }

  public double number(String field) {
    JsonNode value = notNull(value(field), field);
    return toDouble(value, path(field));
  }

  public boolean bool(String field, boolean defaultValue) {
    JsonNode value = value(field);
    if (value == null) {
      return defaultValue;
    }
    if (!value.isBoolean()) {
      throw invalid(field, "must be true or false, was " + describe(value));
    }
    return value.booleanValue();
  }

  public boolean bool(String field) {
    notNull(value(field), field);
    return bool(field, false);
  }

  public Instant instant(String field) {
    return notNull(optInstant(field), field);
  }

  public @Nullable Instant optInstant(String field) {
    String text = optString(field);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeException e) {
      throw invalid(field, "must be an RFC 3339 UTC timestamp such as 2026-01-02T03:04:05.678Z");
    }
  }

  /** A duration sent as whole milliseconds in a field named {@code …_ms}. */
  public Duration millis(String field) {
    return Duration.ofMillis(nonNegative(field));
  }

  public Duration millis(String field, Duration defaultValue) {
    return has(field) ? millis(field) : defaultValue;
  }

  public @Nullable Duration optMillis(String field) {
    return has(field) ? millis(field) : null;
  }

  /** An enum sent as its lower-case name. */
  public <E extends Enum<E>> E enumValue(String field, Class<E> type) {
    return notNull(optEnum(field, type), field);
  }

  public <E extends Enum<E>> E enumValue(String field, Class<E> type, E defaultValue) {
    E value = optEnum(field, type);
    return value == null ? defaultValue : value;
  }

  public <E extends Enum<E>> @Nullable E optEnum(String field, Class<E> type) {
    String text = optString(field);
    if (text == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().toLowerCase(Locale.ROOT).equals(text)) {
        return constant;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      allowed.add(constant.name().toLowerCase(Locale.ROOT));
    }
    throw invalid(field, "'" + text + "' is not one of " + allowed);
  }

  public JsonIn object(String field) {
    return object(notNull(value(field), field), path(field));
  }

  public @Nullable JsonIn optObject(String field) {
    JsonNode value = value(field);
    return value == null ? null : object(value, path(field));
  }

  /** A list of objects; absent means empty. */
  public <T> List<T> objects(String field, Function<JsonIn, T> reader) {
    return elements(field, (element, elementPath) -> reader.apply(object(element, elementPath)));
  }

  /** A list of strings; absent means empty. */
  public List<String> strings(String field) {
    return elements(
        field,
        (element, elementPath) -> {
          if (!element.isString()) {
            throw new ProtocolException(
                ProtocolErrorCode.INVALID_FIELD,
                elementPath,
                "must be a string, was " + describe(element));
          }
          return element.stringValue();
        });
  }

  /** A list of numbers; absent means empty. */
  public List<Double> numbers(String field) {
    return elements(field, JsonIn::toDouble);
  }

  /** An object of string values, in document order; absent means empty. */
  public Map<String, String> stringMap(String field) {
    JsonNode value = value(field);
    if (value == null) {
      return Map.of();
    }
    JsonIn map = object(value, path(field));
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      String key = entry.getKey();
      if (!entry.getValue().isString()) {
        throw new ProtocolException(
            ProtocolErrorCode.INVALID_FIELD,
            map.keyPath(key),
            "must be a string, was " + describe(entry.getValue()));
      }
      out.put(key, entry.getValue().stringValue());
    }
    return out;
  }

  /**
   * Runs a record constructor and turns its {@link IllegalArgumentException} ("field: reason") into
   * an {@code invalid_field} error at that field's path.
   */
  public <T> T build(Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      String message = String.valueOf(e.getMessage());
      Matcher m = FIELD_MESSAGE.matcher(message);
      if (m.matches()) {
        // A field required only in some cases (e.g. the service of a logs start) is still missing.
        ProtocolErrorCode code =
            m.group(2).equals("must not be null")
                ? ProtocolErrorCode.MISSING_FIELD
                : ProtocolErrorCode.INVALID_FIELD;
        throw new ProtocolException(code, path(m.group(1)), m.group(2));
      }
      throw new ProtocolException(ProtocolErrorCode.INVALID_FIELD, path, message);
    }
  }

  private interface ElementReader<T> {
    T read(JsonNode element, String elementPath);
  }

  private <T> List<T> elements(String field, ElementReader<T> reader) {
    JsonNode value = value(field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw invalid(field, "must be an array, was " + describe(value));
    }
    List<T> out = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String elementPath = path(field) + "[" + i + "]";
      if (element.isNull()) {
        throw new ProtocolException(
            ProtocolErrorCode.INVALID_FIELD, elementPath, "must not be null");
      }
      out.add(reader.read(element, elementPath));
    }
    return out;
  }

  private long integer(String field, long min, long max) {
    JsonNode value = notNull(value(field), field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw invalid(field, "must be an integer, was " + describe(value));
    }
    long result = value.longValue();
    if (result < min || result > max) {
      throw invalid(field, "must be between " + min + " and " + max + ", was " + result);
    }
    return result;
  }

  private long nonNegative(String field) {
    long value = int64(field);
    if (value < 0) {
      throw invalid(field, "must not be negative, was " + value);
    }
    return value;
  }

  private static double toDouble(JsonNode value, String path) {
    if (!value.isNumber()) {
      throw new ProtocolException(
          ProtocolErrorCode.INVALID_FIELD, path, "must be a number, was " + describe(value));
    }
    double result = value.doubleValue();
    if (!Double.isFinite(result)) {
      throw new ProtocolException(ProtocolErrorCode.INVALID_FIELD, path, "must be a finite number");
    }
    return result;
  }

  private @Nullable JsonNode value(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  private <T> T notNull(@Nullable T value, String field) {
    if (value == null) {
      throw new ProtocolException(ProtocolErrorCode.MISSING_FIELD, path(field), "is required");
    }
    return value;
  }

  private ProtocolException invalid(String field, String message) {
    return new ProtocolException(ProtocolErrorCode.INVALID_FIELD, path(field), message);
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "the number " + node.numberValue();
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }
}
