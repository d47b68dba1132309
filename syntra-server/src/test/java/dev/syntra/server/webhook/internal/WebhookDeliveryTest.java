package dev.syntra.server.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syntra.server.Api;
import dev.syntra.server.ServerTestSupport;
import dev.syntra.server.Tenants;
import dev.syntra.server.crypto.SecretBox;
import dev.syntra.server.webhook.WebhookSignature;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook delivery end to end: the real server (its own context, with private networks allowed, a
 * fast poll and a millisecond retry schedule) sends to a real receiver on 127.0.0.1.
 */
class WebhookDeliveryTest extends ServerTestSupport {
  /**
   * Five attempts; the last wait is long enough to see a Retry-After of 1 s honoured and capped.
   */
  private static final String SCHEDULE = "20ms,20ms,20ms,1500ms";

  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void webhookSettings(DynamicPropertyRegistry registry) throws IOException {
    // A context of its own needs a database of its own: the shared one holds the data dir's lock.
    String dataDir = Files.createTempDirectory("syntra-webhook-test").toString();
    registry.add("SYNTRA_DATA_DIR", () -> dataDir);
    registry.add("SYNTRA_WEBHOOK_DELIVERY", () -> "true");
    registry.add("SYNTRA_WEBHOOK_ALLOW_PRIVATE_NETWORKS", () -> "true");
    registry.add("SYNTRA_WEBHOOK_POLL_MS", () -> "25");
    registry.add("SYNTRA_WEBHOOK_RETRY_SCHEDULE", () -> SCHEDULE);
  }

  @Autowired private WebhookDispatcher dispatcher;
  @Autowired private Webhooks webhooks;
  @Autowired private MeterRegistry meters;
  @Autowired private DeliveryQueue queue;
  @Autowired private WebhookSender sender;
  @Autowired private WebhookUrlPolicy policy;
  @Autowired private SecretBox secretBox;
  @Autowired private WebhookSettings webhookSettings;
  @Autowired private Clock clock;

  private Receiver receiver;
  private Tenants.Member owner;
  private Api client;

  /** A webhook as created, with the secret shown once. */
  private record Created(String id, String secret) {}

  @BeforeEach
  void setUp() {
    receiver = Receiver.start();
    owner = tenants.newOrganization();
    client = api.as(owner.token());
  }

  @AfterEach
  void tearDown() {
    dispatcher.start(); // in case a test stopped it and failed before restarting
    receiver.close();
  }

  @Test
  void deliversProjectCreatedSignedTheStandardWebhooksWay() {
    receiver.answerByDefault("/hooks", Receiver.Answer.of(200, "thanks"));
    Created webhook = create("/hooks", List.of("project.created"));
    client.post("/api/v1/projects", Map.of("name", "shop"));

    await().atMost(PATIENCE).until(() -> receiver.requests("/hooks").size() == 1);
    Receiver.Request request = receiver.requests("/hooks").getFirst();
    assertThat(request.header("content-type")).isEqualTo("application/json");
    assertThat(request.header("user-agent")).isEqualTo("Syntra-Webhooks/0.1");
    assertThat(request.header("webhook-signature")).startsWith("v1,");
    assertThat(verifies(webhook.secret(), request)).isTrue();
    assertThat(verifies(WebhookSignature.newSecret(), request)).isFalse();
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.get("id").stringValue()).isEqualTo(request.header("webhook-id"));
    assertThat(body.get("event").stringValue()).isEqualTo("project.created");
    assertThat(body.get("data").get("slug").stringValue()).isEqualTo("shop");
    assertThat(body.has("timestamp")).isTrue();

    JsonNode delivery = awaitDelivery(webhook, "succeeded");
    assertThat(delivery.get("attempts").intValue()).isEqualTo(1);
    assertThat(delivery.get("response_status").intValue()).isEqualTo(200);
    assertThat(delivery.get("response_body").stringValue()).isEqualTo("thanks");
    assertThat(delivery.get("last_error").isNull()).isTrue();
    assertThat(delivery.get("event_id").stringValue()).isEqualTo(request.header("webhook-id"));

    // Not subscribed: nothing is queued for it.
    String project =
        client.get("/api/v1/projects").json().get("data").get(0).get("id").stringValue();
    client.patch("/api/v1/projects/" + project, Map.of("description", "changed"));
    assertThat(deliveries(webhook).size()).isEqualTo(1);
  }

  @Test
  void retriesServerErrorsUntilTheReceiverAccepts() {
    double retriedBefore = count("retried");
    double succeededBefore = count("succeeded");
    receiver.script("/flaky", Receiver.Answer.of(500, "boom"), Receiver.Answer.of(500, "boom"));
    receiver.answerByDefault("/flaky", Receiver.Answer.of(200));
    Created webhook = create("/flaky", List.of("*"));
    client.post("/api/v1/projects", Map.of("name", "flaky"));

    JsonNode delivery = awaitDelivery(webhook, "succeeded");
    assertThat(delivery.get("attempts").intValue()).isEqualTo(3);
    assertThat(delivery.get("response_status").intValue()).isEqualTo(200);
    List<Receiver.Request> requests = receiver.requests("/flaky");
    assertThat(requests).hasSize(3);
    // The same message each time (receivers deduplicate by id), freshly signed.
    assertThat(requests)
        .extracting(r -> r.header("webhook-id"))
        .containsOnly(delivery.get("event_id").stringValue());
    assertThat(requests).allSatisfy(r -> assertThat(verifies(webhook.secret(), r)).isTrue());
    assertThat(count("retried") - retriedBefore).isEqualTo(2);
    assertThat(count("succeeded") - succeededBefore).isEqualTo(1);
  }

  @Test
  void givesUpWithErrorsWhenTheReceiverIsDownThroughTheWholeSchedule() throws IOException {
    double failedBefore = count("failed");
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Created webhook = createAt("http://127.0.0.1:" + closedPort + "/down", List.of("*"));
    client.post("/api/v1/projects", Map.of("name", "down"));

    JsonNode delivery = awaitDelivery(webhook, "failed");
    assertThat(delivery.get("attempts").intValue())
        .isEqualTo(RetrySchedule.parse(SCHEDULE).maxAttempts());
    assertThat(delivery.get("last_error").stringValue()).startsWith("could not connect");
    assertThat(delivery.get("response_status").isNull()).isTrue();
    assertThat(delivery.get("next_attempt_at").isNull()).isTrue();
    assertThat(count("failed") - failedBefore).isEqualTo(1);
  }

  @Test
  void honoursRetryAfterUpToTheLongestScheduledDelay() {
    receiver.script("/later", new Receiver.Answer(503, Map.of("Retry-After", "1"), "busy"));
    receiver.script("/much-later", new Receiver.Answer(429, Map.of("Retry-After", "3600"), ""));
    Created later = create("/later", List.of("project.created"));
    Created muchLater = create("/much-later", List.of("project.created"));
    client.post("/api/v1/projects", Map.of("name", "patience"));

    awaitDelivery(later, "succeeded");
    awaitDelivery(muchLater, "succeeded");
    // The schedule alone would have retried after 20 ms.
    assertThat(gap(receiver.requests("/later"))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    // 3600 s is capped at the schedule's longest delay, 1.5 s.
    assertThat(gap(receiver.requests("/much-later")))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1400))
        .isLessThan(PATIENCE);
  }

  @Test
  void keepsDeliveriesWhileStoppedAndSendsThemAfterARestart() {
    Created webhook = create("/restart", List.of("project.created"));
    dispatcher.stop();
    assertThat(dispatcher.isRunning()).isFalse();
    client.post("/api/v1/projects", Map.of("name", "outbox"));
    JsonNode queued = deliveries(webhook).get(0);
    assertThat(queued.get("status").stringValue()).isEqualTo("pending");
    assertThat(queued.get("attempts").intValue()).isZero();

    dispatcher.start();
    await().atMost(PATIENCE).until(() -> receiver.requests("/restart").size() == 1);
    assertThat(awaitDelivery(webhook, "succeeded").get("attempts").intValue()).isEqualTo(1);
  }

  @Test
  void sendsTestEventsToTheOneWebhookOnly() {
    Created tested = create("/tested", List.of("deployment.failed"));
    Created other = create("/other", List.of("*"));
    Api.Response queued = client.post("/api/v1/webhooks/" + tested.id() + "/test", null);
    assertThat(queued.status()).isEqualTo(202);

    await().atMost(PATIENCE).until(() -> receiver.requests("/tested").size() == 1);
    JsonNode body = JSON.readTree(receiver.requests("/tested").getFirst().body());
    assertThat(body.get("event").stringValue()).isEqualTo("webhook.test");
    assertThat(deliveries(other).size()).isZero();
  }

  @Test
  void retriesAFailedDeliveryByHand() {
    receiver.answerByDefault("/manual", Receiver.Answer.of(500));
    Created webhook = create("/manual", List.of("*"));
    client.post("/api/v1/projects", Map.of("name", "manual"));
    JsonNode failed = awaitDelivery(webhook, "failed");
    assertThat(failed.get("last_error").stringValue()).isEqualTo("HTTP 500");

    receiver.answerByDefault("/manual", Receiver.Answer.of(204));
    String retryPath =
        "/api/v1/webhooks/"
            + webhook.id()
            + "/deliveries/"
            + failed.get("id").stringValue()
            + "/retry";
    Api.Response retried = client.post(retryPath, null);
    assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
    assertThat(retried.json().get("status").stringValue()).isEqualTo("pending");

    JsonNode delivery = awaitDelivery(webhook, "succeeded");
    assertThat(delivery.get("attempts").intValue())
        .isEqualTo(failed.get("attempts").intValue() + 1);
    assertThat(client.post(retryPath, null).status()).isEqualTo(409);
  }

  @Test
  void refusesAtDeliveryTimeATargetThePolicyRefuses() {
    // Saved behind the API's back (as if DNS had changed since): the dispatcher checks again.
    UUID id = UUID.randomUUID();
    String secret = WebhookSignature.newSecret();
    tenancy.inOrg(
        owner.orgId(),
        owner.userId(),
        h ->
            webhooks.insert(
                h, id, owner.orgId(), "http://169.254.169.254/latest/", "", List.of("*"), secret));
    client.post("/api/v1/projects", Map.of("name", "metadata"));

    JsonNode delivery = awaitDelivery(new Created(id.toString(), secret), "failed");
    assertThat(delivery.get("last_error").stringValue())
        .startsWith("not sent: the URL host 169.254.169.254 resolves to a cloud metadata address");
    assertThat(delivery.get("response_status").isNull()).isTrue();
  }

  /**
   * Two control-plane instances on one database: a second dispatcher (its own threads and in-memory
   * state, as on another instance) polls the same outbox; the claims (FOR UPDATE SKIP LOCKED plus a
   * lease) let each event out once.
   */
  @Test
  void twoDispatchersOnOneDatabaseDeliverEachEventExactlyOnce() {
    receiver.answerByDefault("/both", Receiver.Answer.of(200));
    create("/both", List.of("project.created"));
    WebhookDispatcher other =
        new WebhookDispatcher(
            tenancy, queue, sender, policy, secretBox, webhookSettings, clock, meters);
    other.start();
    int events = 40;
    try {
      for (int i = 0; i < events; i++) {
        client.post("/api/v1/projects", Map.of("name", "both-" + i));
      }
      await().atMost(PATIENCE).until(() -> receiver.requests("/both").size() >= events);
    } finally {
      other.stop();
    }
    List<String> ids =
        receiver.requests("/both").stream().map(r -> r.header("webhook-id")).toList();
    assertThat(ids).hasSize(events).doesNotHaveDuplicates();
  }

  private Created create(String path, List<String> events) {
    return createAt(receiver.url(path), events);
  }

  private Created createAt(String url, List<String> events) {
    Api.Response created = client.post("/api/v1/webhooks", Map.of("url", url, "events", events));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Created(
        created.json().get("id").stringValue(), created.json().get("secret").stringValue());
  }

  private JsonNode deliveries(Created webhook) {
    Api.Response page = client.get("/api/v1/webhooks/" + webhook.id() + "/deliveries");
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    return page.json().get("data");
  }

  /** Waits for the webhook's only delivery to reach {@code status}, and returns it. */
  private JsonNode awaitDelivery(Created webhook, String status) {
    await()
        .atMost(PATIENCE)
        .until(() -> {
          JsonNode data = deliveries(webhook);
          return data.size() == 1 && data.get(0).get("status").stringValue().equals(status);
        });
    return deliveries(webhook).get(0);
  }

  private static boolean verifies(String secret, Receiver.Request request) {
    return WebhookSignature.verify(
        secret,
        request.header("webhook-id"),
        request.header("webhook-timestamp"),
        request.body(),
        request.header("webhook-signature"),
        Clock.systemUTC(),
        Duration.ofMinutes(5));
  }

  private static Duration gap(List<Receiver.Request> requests) {
    assertThat(requests).hasSize(2);
    return Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt());
  }

  private double count(String outcome) {
    return meters.counter("syntra.webhooks.deliveries", "outcome", outcome).count();
  }
}
