package dev.syntra.telemetry.otlp;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Normalises OTLP/JSON trees so two encodings of the same data compare equal: default values
 * (empty, zero, false) dropped, numbers and decimal strings as one canonical number, hex ids in
 * lower case.
 */
final class JsonTrees {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> IDS = Set.of("traceId", "spanId", "parentSpanId");

  private JsonTrees() {}

  static JsonNode normalised(byte[] json) {
    JsonNode n = normalise("", MAPPER.readTree(json));
    return n == null ? JsonNodeFactory.instance.objectNode() : n;
  }

  private static JsonNode normalise(String key, JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (var e : node.properties()) {
        JsonNode v = normalise(e.getKey(), e.getValue());
        if (v != null) {
          out.set(e.getKey(), v);
        }
      }
      return out.isEmpty() ? null : out;
    }
    if (node.isArray()) {
      var out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode element : node) {
        JsonNode v = normalise("", element);
        out.add(v == null ? JsonNodeFactory.instance.objectNode() : v);
      }
      return out.isEmpty() ? null : out;
    }
    if (node.isNumber() || (node.isString() && isNumber(node.asString()) && !IDS.contains(key))) {
      BigDecimal d = new BigDecimal(node.asString()).stripTrailingZeros();
      return d.signum() == 0 ? null : JsonNodeFactory.instance.stringNode(d.toPlainString());
    }
    if (node.isString()) {
      String s = IDS.contains(key) ? node.asString().toLowerCase(Locale.ROOT) : node.asString();
      return s.isEmpty() ? null : JsonNodeFactory.instance.stringNode(s);
    }
    if (node.isBoolean()) {
      return node.asBoolean() ? node : null;
    }
    return null;
  }

  private static boolean isNumber(String s) {
    return s.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  }
}
