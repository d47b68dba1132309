package dev.syntra.telemetry.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * Writes a protobuf message as OTLP/JSON: lowerCamelCase keys, only fields that are set, hex ids,
 * base64 bytes, enums as integers, 64-bit integers as decimal strings.
 */
final class JsonMessageWriter {
  private final JsonGenerator out;

  JsonMessageWriter(JsonGenerator out) {
    this.out = out;
  }

  void write(MessageOrBuilder message) {
    out.writeStartObject();
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor field = e.getKey();
      out.writeName(field.getJsonName());
      if (field.isRepeated()) {
        out.writeStartArray();
        for (Object element : (List<?>) e.getValue()) {
          value(field, element);
        }
        out.writeEndArray();
      } else {
        value(field, e.getValue());
      }
    }
    out.writeEndObject();
  }

  private void value(FieldDescriptor field, Object value) {
    switch (field.getJavaType()) {
      case MESSAGE -> write((MessageOrBuilder) value);
      case INT -> {
        int v = (Integer) value;
        if (field.getType() == FieldDescriptor.Type.UINT32
            || field.getType() == FieldDescriptor.Type.FIXED32) {
          out.writeNumber(Integer.toUnsignedLong(v));
        } else {
          out.writeNumber(v);
        }
      }
      case LONG -> {
        long v = (Long) value;
        boolean unsigned =
            field.getType() == FieldDescriptor.Type.UINT64
                || field.getType() == FieldDescriptor.Type.FIXED64;
        out.writeString(unsigned ? Long.toUnsignedString(v) : Long.toString(v));
      }
      case DOUBLE -> number((Double) value);
      case FLOAT -> number((Float) value);
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case STRING -> out.writeString((String) value);
      case BYTE_STRING -> {
        ByteString bytes = (ByteString) value;
        out.writeString(
            OtlpIds.idBytes(field) > 0
                ? OtlpIds.hex(bytes)
                : Base64.getEncoder().encodeToString(bytes.toByteArray()));
      }
      case ENUM -> out.writeNumber(((EnumValueDescriptor) value).getNumber());
    }
  }

  private void number(double d) {
    if (Double.isNaN(d)) {
      out.writeString("NaN");
    } else if (Double.isInfinite(d)) {
      out.writeString(d > 0 ? "Infinity" : "-Infinity");
    } else {
      out.writeNumber(d);
    }
  }
}
