package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.ServiceRef;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;

/** Small builders of OTLP attribute values and resources shared by the collectors. */
final class OtlpValues {
  private OtlpValues() {}

  static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue attribute(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  /**
   * The resource of a service: {@code service.name} and the Syntra identity of the service ({@code
   * syntra.organization}, {@code syntra.project}, {@code syntra.service}), so the enricher and the
   * server can match it without guessing.
   */
  static Resource.Builder service(ServiceRef service) {
    return Resource.newBuilder()
        .addAttributes(attribute("service.name", service.service()))
        .addAttributes(attribute("syntra.organization", service.organization()))
        .addAttributes(attribute("syntra.project", service.project()))
        .addAttributes(attribute("syntra.service", service.service()));
  }

  /** A service resource for one replica ({@code container.name}). */
  static Resource replica(ServiceRef service, String replicaId) {
    return service(service).addAttributes(attribute("container.name", replicaId)).build();
  }
}
