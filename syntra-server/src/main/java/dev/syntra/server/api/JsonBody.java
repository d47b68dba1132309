package dev.syntra.server.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a JSON request body field by field, collecting every problem with its JSON path, so one 400
 * answer lists all bad fields. Call {@link #validate()} after reading: it throws {@link
 * ApiException} when anything was wrong. Unknown fields are refused, which catches typos.
 */
public final class JsonBody {
  private final JsonNode node;
  private final String path;
  private final List<FieldError> errors;
  private final List<JsonBody> objects;
  private final Set<String> read = new HashSet<>();

  private JsonBody(JsonNode node, String path, List<FieldError> errors, List<JsonBody> objects) {
    this.node = node;
    this.path = path;
    this.errors = errors;
    this.objects = objects;
    objects.add(this);
  }

  /** The request body; it must be a JSON object. */
  public static JsonBody of(@Nullable JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid("$", "the body must be a JSON object");
    }
    return new JsonBody(body, "$", new ArrayList<>(), new ArrayList<>());
  }

  public String path(String field) {
    return path + "." + field;
  }

  public boolean has(String field) {
    read.add(field);
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  /** Whether the field was sent at all, even as {@code null} (a PATCH clears a field with null). */
  public boolean given(String field) {
    read.add(field);
    return node.has(field);
  }

  /** Adds a problem found by the caller's own checks. */
  public void reject(String field, String message) {
    errors.add(new FieldError(path(field), message));
  }

  public @Nullable String string(String field, boolean required, int maxLength) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isString()) {
      reject(field, "must be a string");
      return null;
    }
    String text = value.stringValue();
    if (hasControlCharacters(text)) {
      reject(field, "must not contain control characters");
      return null;
    }
    if (required && text.isBlank()) {
      reject(field, "must not be blank");
      return null;
    }
    if (text.length() > maxLength) {
      reject(field, "must be at most " + maxLength + " characters");
      return null;
    }
    return text;
  }

  /** A string that must match {@code pattern}; {@code rule} explains the pattern to people. */
  public @Nullable String string(String field, boolean required, Pattern pattern, String rule) {
    String text = string(field, required, 1024);
    if (text != null && !pattern.matcher(text).matches()) {
      reject(field, rule);
      return null;
    }
    return text;
  }

  /** An integer within {@code [min, max]} (callers keep the bounds within the int range). */
  public @Nullable Integer integer(String field, boolean required, int min, int max) {
    Long number = int64(field, required, min, max);
    return number == null ? null : number.intValue();
  }

  public @Nullable Long int64(String field, boolean required, long min, long max) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      reject(field, "must be an integer");
      return null;
    }
    long number = value.longValue();
    if (number < min || number > max) {
      reject(field, "must be between " + min + " and " + max);
      return null;
    }
    return number;
  }

  /** A finite number within {@code [min, max]}; integers count as numbers. */
  public @Nullable Double number(String field, boolean required, double min, double max) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      reject(field, "must be a number");
      return null;
    }
    double number = value.doubleValue();
    if (number < min || number > max) {
      reject(field, "must be between " + min + " and " + max);
      return null;
    }
    return number;
  }

  public @Nullable Boolean bool(String field, boolean required) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      reject(field, "must be true or false");
      return null;
    }
    return value.booleanValue();
  }

  /** One of {@code allowed} (case-sensitive). */
  public @Nullable String oneOf(String field, boolean required, Set<String> allowed) {
    String text = string(field, required, 64);
    if (text != null && !allowed.contains(text)) {
      reject(field, "must be one of " + new TreeSet<>(allowed));
      return null;
    }
    return text;
  }

  /** A list of strings, each checked by {@code check} (which returns an error message or null). */
  public @Nullable List<String> strings(
      String field, boolean required, int maxItems, Function<String, @Nullable String> check) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      reject(field, "must be an array of strings");
      return null;
    }
    if (value.size() > maxItems) {
      reject(field, "must have at most " + maxItems + " items");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode element = value.get(i);
      String elementField = field + "[" + i + "]";
      if (!element.isString()) {
        reject(elementField, "must be a string");
        continue;
      }
      if (hasControlCharacters(element.stringValue())) {
        reject(elementField, "must not contain control characters");
        continue;
      }
      String problem = check.apply(element.stringValue());
      if (problem != null) {
        reject(elementField, problem);
        continue;
      }
      out.add(element.stringValue());
    }
    return out;
  }

  /** An object of string values, in document order. */
  public @Nullable Map<String, String> stringMap(String field, boolean required, int maxEntries) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      reject(field, "must be an object of strings");
      return null;
    }
    if (value.size() > maxEntries) {
      reject(field, "must have at most " + maxEntries + " entries");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      if (entry.getKey().indexOf('\u0000') >= 0) {
        reject(field, "keys must not contain NUL characters");
        continue;
      }
      if (entry.getValue().isString() && entry.getValue().stringValue().indexOf('\u0000') >= 0) {
        reject(field + "." + entry.getKey(), "must not contain NUL characters");
        continue;
      }
      if (!entry.getValue().isString()) {
        reject(field + "." + entry.getKey(), "must be a string");
        continue;
      }
      out.put(entry.getKey(), entry.getValue().stringValue());
    }
    return out;
  }

  /** A nested object, read with the same error list; null when absent (or reported if required). */
  public @Nullable JsonBody object(String field, boolean required) {
    JsonNode value = value(field, required);
    if (value == null) {
      return null;
    }
    if (!value.isObject()) {
      reject(field, "must be an object");
      return null;
    }
    return new JsonBody(value, path(field), errors, objects);
  }

  /** Throws a 400 listing every problem found, including fields nobody asked for. */
  public void validate() {
    objects.forEach(JsonBody::rejectUnknownFields);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
  }

  private void rejectUnknownFields() {
    for (String name : node.propertyNames()) {
      if (!read.contains(name)) {
        reject(name, "is not a known field");
      }
    }
  }

  /**
   * PostgreSQL text cannot hold NUL, and no field needs other C0 controls; tab, line feed and
   * carriage return stay allowed (descriptions, multi-line values).
   */
  public static boolean hasControlCharacters(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return true;
      }
    }
    return false;
  }

  private @Nullable JsonNode value(String field, boolean required) {
    read.add(field);
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        reject(field, "is required");
      }
      return null;
    }
    return value;
  }
}
