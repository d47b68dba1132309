package dev.syntra.telemetry.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;

/**
 * Reads one JSON document into a protobuf builder, driven by the message descriptor, following the
 * OTLP "JSON Protobuf Encoding": lowerCamelCase keys (the original snake_case names are accepted
 * too), unknown keys ignored, hex trace and span ids, base64 for other bytes, enums as integers (or
 * their names), 64-bit integers as strings or numbers. Not thread-safe: one reader per document.
 */
final class JsonMessageReader {
  private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS =
      new ConcurrentHashMap<>();
  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final JsonParser parser;

  /** Path segments: a String key or an Integer index; only read to build error messages. */
  private final List<Object> path = new ArrayList<>();

  JsonMessageReader(JsonParser parser) {
    this.parser = parser;
  }

  /** Reads the whole document into {@code builder}; rejects anything after the top-level object. */
  void readDocument(Message.Builder builder) {
    try {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw error(
            first == null ? "empty body, expected a JSON object" : "expected a JSON object");
      }
      readObject(builder);
      if (parser.nextToken() != null) {
        throw error("unexpected content after the JSON object");
      }
    } catch (JacksonException e) {
      throw malformed(e);
    }
  }

  private void readObject(Message.Builder builder) {
    Map<String, FieldDescriptor> fields = fieldsOf(builder.getDescriptorForType());
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      FieldDescriptor field = fields.get(name);
      if (field == null || value == JsonToken.VALUE_NULL) {
        parser.skipChildren(); // unknown keys are ignored; null means "default"
        continue;
      }
      path.add(name);
      if (field.isRepeated()) {
        readArray(builder, field, value);
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        // Built apart and set: getFieldBuilder is not supported for every field (oneof members).
        Message.Builder sub = builder.newBuilderForField(field);
        if (builder.hasField(field)) {
          sub.mergeFrom((Message) builder.getField(field));
        }
        readMessageInto(sub, value);
        builder.setField(field, sub.build());
      } else {
        builder.setField(field, scalar(field, value));
      }
      path.removeLast();
    }
  }

  private void readArray(Message.Builder builder, FieldDescriptor field, JsonToken value) {
    if (value != JsonToken.START_ARRAY) {
      throw error("must be an array");
    }
    int index = 0;
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      path.add(index++);
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        Message.Builder element = builder.newBuilderForField(field);
        readMessageInto(element, t);
        builder.addRepeatedField(field, element.build());
      } else if (t == JsonToken.VALUE_NULL) {
        throw error("must not be null");
      } else {
        builder.addRepeatedField(field, scalar(field, t));
      }
      path.removeLast();
    }
  }

  private void readMessageInto(Message.Builder builder, JsonToken value) {
    if (value != JsonToken.START_OBJECT) {
      throw error("must be an object");
    }
    readObject(builder);
  }

  private Object scalar(FieldDescriptor field, JsonToken value) {
    return switch (field.getJavaType()) {
      case INT -> (int) integer(field, value, unsigned(field) ? 0xFFFF_FFFFL : Integer.MAX_VALUE);
      case LONG -> longValue(field, value);
      case DOUBLE -> floating(value);
      case FLOAT -> (float) floating(value);
      case BOOLEAN -> bool(value);
      case STRING -> text(value);
      case BYTE_STRING -> bytes(field, value);
      case ENUM -> enumValue(field, value);
      case MESSAGE -> throw new IllegalStateException("messages are read by readMessageInto");
    };
  }

  private static boolean unsigned(FieldDescriptor field) {
    return switch (field.getType()) {
      case UINT32, FIXED32, UINT64, FIXED64 -> true;
      default -> false;
    };
  }

  private long integer(FieldDescriptor field, JsonToken value, long max) {
    long min = unsigned(field) ? 0 : Integer.MIN_VALUE;
    long v;
    if (value == JsonToken.VALUE_NUMBER_INT) {
      if (parser.getNumberType() != JsonParser.NumberType.INT
          && parser.getNumberType() != JsonParser.NumberType.LONG) {
        throw error("integer out of range");
      }
      v = parser.getLongValue();
    } else if (value == JsonToken.VALUE_STRING) {
      try {
        v = Long.parseLong(parser.getString().trim());
      } catch (NumberFormatException e) {
        throw error("must be an integer");
      }
    } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      v = integralDouble(parser.getDoubleValue());
    } else {
      throw error("must be an integer");
    }
    if (v < min || v > max) {
      throw error("integer out of range");
    }
    return v;
  }

  private long longValue(FieldDescriptor field, JsonToken value) {
    BigInteger v;
    if (value == JsonToken.VALUE_NUMBER_INT) {
      v = parser.getBigIntegerValue();
    } else if (value == JsonToken.VALUE_STRING) {
      String s = parser.getString().trim();
      if (s.length() > 21) {
        throw error("integer out of range");
      }
      try {
        v = new BigInteger(s);
      } catch (NumberFormatException e) {
        throw error("must be an integer");
      }
    } else if (value == JsonToken.VALUE_NUMBER_FLOAT) {
      return integralDouble(parser.getDoubleValue());
    } else {
      throw error("must be an integer (a number or a decimal string)");
    }
    boolean inRange =
        unsigned(field) ? v.signum() >= 0 && v.compareTo(UINT64_MAX) <= 0 : v.bitLength() <= 63;
    if (!inRange) {
      throw error("integer out of range");
    }
    return v.longValue(); // uint64 above 2^63-1 wraps, as protobuf stores it
  }

  private long integralDouble(double d) {
    if (d != Math.rint(d) || Math.abs(d) > 0x1p63) {
      throw error("must be an integer");
    }
    return (long) d;
  }

  private double floating(JsonToken value) {
    if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
      return parser.getDoubleValue();
    }
    if (value == JsonToken.VALUE_STRING) {
      String s = parser.getString().trim();
      return switch (s) {
        case "NaN" -> Double.NaN;
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> {
          try {
            yield Double.parseDouble(s);
          } catch (NumberFormatException e) {
            throw error("must be a number");
          }
        }
      };
    }
    throw error("must be a number");
  }

  private boolean bool(JsonToken value) {
    if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
      return value == JsonToken.VALUE_TRUE;
    }
    throw error("must be true or false");
  }

  private String text(JsonToken value) {
    if (value != JsonToken.VALUE_STRING) {
      throw error("must be a string");
    }
    return parser.getString();
  }

  private ByteString bytes(FieldDescriptor field, JsonToken value) {
    String s = text(value);
    int idBytes = OtlpIds.idBytes(field);
    if (idBytes > 0) {
      ByteString id = OtlpIds.parseHex(s, idBytes);
      if (id == null) {
        throw error("must be " + idBytes * 2 + " hex digits");
      }
      return id;
    }
    try {
      return ByteString.copyFrom(OtlpIds.base64(s));
    } catch (IllegalArgumentException e) {
      throw error("must be base64");
    }
  }

  private EnumValueDescriptor enumValue(FieldDescriptor field, JsonToken value) {
    if (value == JsonToken.VALUE_STRING) {
      EnumValueDescriptor named = field.getEnumType().findValueByName(parser.getString());
      if (named == null) {
        throw error("unknown " + field.getEnumType().getName() + " name");
      }
      return named;
    }
    int number = (int) integer(field, value, Integer.MAX_VALUE);
    return field.getEnumType().findValueByNumberCreatingIfUnknown(number);
  }

  private static Map<String, FieldDescriptor> fieldsOf(Descriptor type) {
    return FIELDS.computeIfAbsent(
        type,
        t -> {
          Map<String, FieldDescriptor> byName = new HashMap<>();
          for (FieldDescriptor f : t.getFields()) {
            byName.put(f.getName(), f);
            byName.put(f.getJsonName(), f);
          }
          return Map.copyOf(byName);
        });
  }

  OtlpJsonException error(String problem) {
    return new OtlpJsonException(pathString(), problem);
  }

  private OtlpJsonException malformed(JacksonException e) {
    TokenStreamLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new OtlpJsonException(
        pathString(), "malformed JSON" + where + ": " + e.getOriginalMessage());
  }

  private String pathString() {
    StringBuilder s = new StringBuilder();
    for (Object segment : path) {
      if (segment instanceof Integer index) {
        s.append('[').append(index).append(']');
      } else {
        if (!s.isEmpty()) {
          s.append('.');
        }
        s.append(segment);
      }
    }
    return s.toString();
  }
}
