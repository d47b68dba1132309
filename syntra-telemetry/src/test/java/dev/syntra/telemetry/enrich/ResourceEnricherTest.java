package dev.syntra.telemetry.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.telemetry.MutableClock;
import dev.syntra.telemetry.TelemetryChunk;
import dev.syntra.telemetry.pipeline.IntakeResult;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResourceEnricherTest {
  private static final ServiceIdentity WEB =
      new ServiceIdentity("svc_web", "dep_42", "production", "web");

  private final List<TelemetryChunk> received = new ArrayList<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final Map<String, ServiceIdentity> byId = new LinkedHashMap<>(Map.of("svc_web", WEB));
  private final Map<String, ServiceIdentity> byContainer = Map.of("c0ffee", WEB);
  private final Map<String, ServiceIdentity> byName = Map.of("web", WEB);

  private final ServiceDirectory directory =
      new ServiceDirectory() {
        @Override
        public Optional<ServiceIdentity> byServiceId(String serviceId) {
          lookups.incrementAndGet();
          return Optional.ofNullable(byId.get(serviceId));
        }

        @Override
        public Optional<ServiceIdentity> byContainerId(String containerId) {
          lookups.incrementAndGet();
          return Optional.ofNullable(byContainer.get(containerId));
        }

        @Override
        public Optional<ServiceIdentity> byServiceName(String serviceName) {
          lookups.incrementAndGet();
          return Optional.ofNullable(byName.get(serviceName));
        }
      };

  private final ResourceEnricher enricher =
      ResourceEnricher.create(
          c -> {
            received.add(c);
            return IntakeResult.accepted();
          },
          directory,
          "srv_agent");

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static Resource resource(KeyValue... attributes) {
    return Resource.newBuilder()
        .addAllAttributes(List.of(attributes))
        .setDroppedAttributesCount(2)
        .build();
  }

  private static TelemetryChunk spans(Resource resource) {
    return TelemetryChunk.of(
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(resource)
                    .setSchemaUrl("schema")
                    .addScopeSpans(
                        ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("s"))))
            .build(),
        false);
  }

  private Map<String, String> enrichedAttributes(Resource resource) {
    enricher.accept(spans(resource));
    Resource out = received.getLast().traces().getResourceSpans(0).getResource();
    Map<String, String> result = new LinkedHashMap<>();
    out.getAttributesList()
        .forEach(
            kv -> result.merge(kv.getKey(), kv.getValue().getStringValue(), (a, b) -> a + "," + b));
    return result;
  }

  @Test
  void addsTheFourAttributesFoundByServiceId() {
    assertThat(enrichedAttributes(resource(attr("syntra.service.id", "svc_web"), attr("k", "v"))))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "syntra.service.id", "svc_web",
                "k", "v",
                "syntra.server.id", "srv_agent",
                "syntra.deployment.id", "dep_42",
                "deployment.environment", "production",
                "service.name", "web"));
    ResourceSpans rs = received.getLast().traces().getResourceSpans(0);
    assertThat(rs.getSchemaUrl()).isEqualTo("schema");
    assertThat(rs.getResource().getDroppedAttributesCount()).isEqualTo(2);
    assertThat(rs.getScopeSpans(0).getSpans(0).getName()).isEqualTo("s");
  }

  @Test
  void findsTheServiceByContainerIdThenByServiceName() {
    assertThat(enrichedAttributes(resource(attr("container.id", "c0ffee"))))
        .containsEntry("syntra.service.id", "svc_web")
        .containsEntry("syntra.deployment.id", "dep_42");
    assertThat(
            enrichedAttributes(
                resource(attr("container.id", "unknown"), attr("service.name", "web"))))
        .containsEntry("syntra.service.id", "svc_web")
        .containsEntry("service.name", "web");
  }

  @Test
  void neverOverwritesWhatTheAppSet() {
    assertThat(
            enrichedAttributes(
                resource(
                    attr("service.name", "web"),
                    attr("deployment.environment", "staging"),
                    attr("syntra.deployment.id", "dep_app"))))
        .containsEntry("deployment.environment", "staging")
        .containsEntry("syntra.deployment.id", "dep_app")
        .containsEntry("service.name", "web")
        .containsEntry("syntra.service.id", "svc_web");
  }

  @Test
  void alwaysSetsTheAgentsServerId() {
    assertThat(
            enrichedAttributes(
                resource(
                    attr("syntra.server.id", "srv_other"),
                    attr("x", "y"),
                    attr("syntra.server.id", "srv_third"))))
        .containsEntry("syntra.server.id", "srv_agent")
        .containsEntry("x", "y");
    assertThat(enrichedAttributes(resource(attr("z", "1"))))
        .containsEntry("syntra.server.id", "srv_agent")
        .hasSize(2);
  }

  @Test
  void passesAChunkThatNeedsNothingAsTheSameObject() {
    TelemetryChunk complete =
        spans(
            resource(
                attr("syntra.server.id", "srv_agent"),
                attr("syntra.service.id", "svc_web"),
                attr("syntra.deployment.id", "dep_42"),
                attr("deployment.environment", "production"),
                attr("service.name", "web")));
    enricher.accept(complete);
    assertThat(received.getLast()).isSameAs(complete);
  }

  @Test
  void enrichesLogsAndMetricsAndKeepsThePriorityFlag() {
    Resource r = resource(attr("container.id", "c0ffee"));
    enricher.accept(
        new TelemetryChunk(
            TracesData.getDefaultInstance(),
            LogsData.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(r)).build(),
            MetricsData.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(r))
                .build(),
            true));
    TelemetryChunk out = received.getLast();
    assertThat(out.priority()).isTrue();
    assertThat(out.logs().getResourceLogs(0).getResource().getAttributesList())
        .contains(attr("syntra.service.id", "svc_web"));
    assertThat(out.metrics().getResourceMetrics(0).getResource().getAttributesList())
        .contains(attr("syntra.server.id", "srv_agent"));
  }

  @Test
  void cachesPerDistinctResourceUntilInvalidatedOrExpired() {
    MutableClock clock = new MutableClock();
    ResourceEnricher cached =
        ResourceEnricher.builder(c -> IntakeResult.accepted(), directory, "srv_agent")
            .cacheTtl(Duration.ofSeconds(30))
            .clock(clock)
            .build();
    for (int i = 0; i < 100; i++) {
      cached.accept(spans(resource(attr("syntra.service.id", "svc_web"))));
    }
    assertThat(lookups.get()).isEqualTo(1);

    cached.invalidateCache();
    cached.accept(spans(resource(attr("syntra.service.id", "svc_web"))));
    assertThat(lookups.get()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(31));
    cached.accept(spans(resource(attr("syntra.service.id", "svc_web"))));
    assertThat(lookups.get()).isEqualTo(3);
  }

  @Test
  void enrichesButDoesNotCacheResourcesWithHugeAttributes() {
    Resource huge =
        resource(attr("syntra.service.id", "svc_web"), attr("junk", "x".repeat(1 << 20)));

    enricher.accept(spans(huge));
    enricher.accept(spans(huge));

    assertThat(lookups.get()).isEqualTo(2);
    assertThat(received.getLast().traces().getResourceSpans(0).getResource().getAttributesList())
        .contains(attr("syntra.deployment.id", "dep_42"));
  }

  @Test
  void aDirectoryThatThrowsLeavesTheChunkUnenriched() {
    ResourceEnricher failing =
        ResourceEnricher.create(
            c -> {
              received.add(c);
              return IntakeResult.accepted();
            },
            new ServiceDirectory() {
              @Override
              public Optional<ServiceIdentity> byServiceId(String serviceId) {
                throw new IllegalStateException("broken");
              }

              @Override
              public Optional<ServiceIdentity> byContainerId(String containerId) {
                return Optional.empty();
              }

              @Override
              public Optional<ServiceIdentity> byServiceName(String serviceName) {
                return Optional.empty();
              }
            },
            "srv_agent");
    TelemetryChunk chunk = spans(resource(attr("syntra.service.id", "x")));
    assertThat(failing.accept(chunk).status()).isEqualTo(IntakeResult.Status.ACCEPTED);
    assertThat(received.getLast()).isSameAs(chunk);
  }
}
