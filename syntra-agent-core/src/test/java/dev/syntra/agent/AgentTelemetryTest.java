package dev.syntra.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.syntra.agent.link.BackoffPolicy;
import dev.syntra.agent.testing.InMemoryRuntime;
import dev.syntra.agent.testing.TestHub;
import dev.syntra.protocol.frame.BatchId;
import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.TelemetryAck;
import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.protocol.security.TokenFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent pipeline in one process: an OTLP/HTTP request to the agent's receiver becomes a
 * frame on a protocol-speaking hub, enriched with what the agent knows of the deployed service; an
 * acknowledged frame is gone for good, an unacknowledged one is resent after an agent restart with
 * the same batch id (the spool).
 */
class AgentTelemetryTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path stateDir;
  private TestHub hub;
  private Agent agent;
  private int httpPort;
  private final String token = TokenFormat.AGENT.generate(new SecureRandom());

  @BeforeEach
  void startHub() throws Exception {
    hub = TestHub.plain();
    try (ServerSocket socket = new ServerSocket(0)) {
      httpPort = socket.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    hub.close();
  }

  private void startAgent() {
    AgentConfig config =
        AgentConfig.builder()
            .endpoint(hub.uri())
            .allowInsecureWs(true)
            .registrationToken(token)
            .stateDir(stateDir)
            .backoff(new BackoffPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0.2))
            .shutdownGrace(Duration.ofSeconds(2))
            .telemetry(TestPipelines.httpOnly(stateDir, httpPort))
            .build();
    agent = Agent.create(config, new InMemoryRuntime());
    agent.start();
    await().atMost(WAIT).until(() -> agent.status().connected());
  }

  @Test
  void aSpanSentToTheAgentArrivesAsAnEnrichedFrameAndAnAcknowledgedFrameIsNeverResent()
      throws Exception {
    startAgent();
    deployWithOtelAttributes();

    assertThat(post(request("checkout", "first"))).isEqualTo(200);
    await().atMost(WAIT).until(() -> hub.frames.size() == 1);
    TelemetryFrame frame = TelemetryFrameCodec.create().decode(hub.frames.get(0));
    assertThat(frame.counts().spans()).isEqualTo(1);
    Map<String, String> resource = attributes(frame.traces().getResourceSpans(0).getResource());
    assertThat(resource)
        .containsEntry("service.name", "checkout")
        .containsEntry("syntra.server.id", TestHub.SERVER_ID)
        .containsEntry("syntra.service.id", "svc_0123")
        .containsEntry("syntra.deployment.id", "dep_01")
        .containsEntry("deployment.environment", "production");
    assertThat(frame.traces().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("first");

    ack(frame.batchId());
    await()
        .atMost(WAIT)
        .until(() -> agent.telemetry().orElseThrow().shipper().stats().inFlightFrames() == 0);
    agent.close();
    int before = hub.frames.size();
    startAgent();
    assertThat(post(request("checkout", "second"))).isEqualTo(200);
    await().atMost(WAIT).until(() -> hub.frames.size() > before);
    List<String> names =
        hub.frames.subList(before, hub.frames.size()).stream()
            .map(f -> TelemetryFrameCodec.create().decode(f))
            .flatMap(f -> f.traces().getResourceSpansList().stream())
            .flatMap(r -> r.getScopeSpansList().stream())
            .flatMap(s -> s.getSpansList().stream())
            .map(Span::getName)
            .toList();
    assertThat(names).containsExactly("second");
  }

  @Test
  void anUnacknowledgedFrameIsResentWithTheSameBatchIdAfterTheAgentRestarts() throws Exception {
    startAgent();
    assertThat(post(request("orders", "unacked"))).isEqualTo(200);
    await().atMost(WAIT).until(() -> hub.frames.size() == 1);
    BatchId first = TelemetryFrameCodec.create().readHeader(hub.frames.get(0)).batchId();
    agent.close();

    startAgent();
    await().atMost(WAIT).until(() -> hub.frames.size() == 2);
    assertThat(TelemetryFrameCodec.create().readHeader(hub.frames.get(1)).batchId())
        .isEqualTo(first);
  }

  private void deployWithOtelAttributes() {
    DeploySpec spec =
        DeploySpec.builder("dep_01", WEB, "127.0.0.1:5000/syntra-test/httpd:1")
            .env(
                Map.of(
                    "OTEL_SERVICE_NAME",
                    "checkout",
                    "OTEL_RESOURCE_ATTRIBUTES",
                    "syntra.service.id=svc_0123,syntra.deployment.id=dep_01,"
                        + "deployment.environment=production"))
            .build();
    hub.send("cmd_deploy1", new DeployCommand(spec));
    await()
        .atMost(WAIT)
        .until(() ->
            !hub.replies(dev.syntra.protocol.message.MessageType.COMMAND_RESULT, "cmd_deploy1")
                .isEmpty());
  }

  private void ack(BatchId batchId) {
    hub.send(
        "msg_ack1",
        new TelemetryAck(
            List.of(new TelemetryAck.Entry(batchId, TelemetryAck.Status.STORED, null))));
  }

  private int post(ExportTraceServiceRequest request) throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
            .build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  private static ExportTraceServiceRequest request(String service, String spanName) {
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    new SecureRandom().nextBytes(traceId);
    new SecureRandom().nextBytes(spanId);
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            Span.newBuilder()
                                .setTraceId(ByteString.copyFrom(traceId))
                                .setSpanId(ByteString.copyFrom(spanId))
                                .setName(spanName)
                                .setStartTimeUnixNano(1_000_000)
                                .setEndTimeUnixNano(2_000_000))))
        .build();
  }

  private static Map<String, String> attributes(Resource resource) {
    return resource.getAttributesList().stream()
        .collect(
            Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue(), (a, b) -> b));
  }
}
