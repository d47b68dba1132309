package dev.syntra.protocol.json.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes fields of one JSON object in a fixed order. Null optional values are omitted; lists and
 * maps are always written (possibly empty), which keeps the encoding canonical.
 */
public final class JsonOut {
  private final ObjectNode node;

  public JsonOut(ObjectNode node) {
    this.node = node;
  }

  public ObjectNode node() {
    return node;
  }

  public JsonOut string(String field, @Nullable String value) {
    if (value != null) {
      node.put(field, value);
    }
    return this;
  }

  public JsonOut int64(String field, long value) {
    node.put(field, value);
    return this;
  }

  public JsonOut optInt(String field, @Nullable Integer value) {
    if (value != null) {
      node.put(field, value.intValue());
    }
    return this;
  }

  public JsonOut number(String field, double value) {
    node.put(field, value);
    return this;
  }

  public JsonOut bool(String field, boolean value) {
    node.put(field, value);
    return this;
  }

  public JsonOut instant(String field, @Nullable Instant value) {
    if (value != null) {
      node.put(field, DateTimeFormatter.ISO_INSTANT.format(value));
    }
    return this;
  }

  public JsonOut millis(String field, @Nullable Duration value) {
    if (value != null) {
      node.put(field, value.toMillis());
    }
    return this;
  }

  public JsonOut enumValue(String field, @Nullable Enum<?> value) {
    if (value != null) {
      node.put(field, value.name().toLowerCase(Locale.ROOT));
    }
    return this;
  }

  /** Writes {@code value} as a nested object, or nothing when it is null. */
  public <T> JsonOut object(String field, @Nullable T value, BiConsumer<T, JsonOut> writer) {
    if (value != null) {
      writer.accept(value, new JsonOut(node.putObject(field)));
    }
    return this;
  }

  public <T> JsonOut objects(String field, Collection<T> values, BiConsumer<T, JsonOut> writer) {
    ArrayNode array = node.putArray(field);
    for (T value : values) {
      writer.accept(value, new JsonOut(array.addObject()));
    }
    return this;
  }

  public JsonOut strings(String field, Collection<String> values) {
    ArrayNode array = node.putArray(field);
    values.forEach(array::add);
    return this;
  }

  public JsonOut numbers(String field, Collection<Double> values) {
    ArrayNode array = node.putArray(field);
    values.forEach(array::add);
    return this;
  }

  public JsonOut stringMap(String field, Map<String, String> values) {
    ObjectNode map = node.putObject(field);
    values.forEach(map::put);
    return this;
  }
}
