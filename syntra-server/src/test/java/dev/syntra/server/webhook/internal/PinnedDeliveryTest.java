package dev.syntra.server.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.server.webhook.WebhookSignature;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery connects to the address the policy checked: the host name is resolved once, a name that
 * resolves to a loopback or private address is refused when the policy forbids them, and a name
 * that changes its answer after the check (DNS rebinding) is never looked up again.
 */
class PinnedDeliveryTest {
  private Receiver receiver;
  private WebhookSender sender;

  @BeforeEach
  void setUp() {
    receiver = Receiver.start();
    sender = new WebhookSender(Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  @AfterEach
  void tearDown() {
    receiver.close();
    sender.close();
  }

  @Test
  void aNameResolvingToLoopbackOrAPrivateAddressIsRefused() {
    WebhookUrlPolicy policy =
        new WebhookUrlPolicy(
            false,
            host ->
                switch (host) {
                  case "rebound.example.com" -> List.of(address("127.0.0.1"));
                  case "inside.example.com" -> List.of(address("10.1.2.3"));
                  default -> throw new UnknownHostException(host);
                });
    WebhookUrlPolicy.Checked loopback = policy.check("https://rebound.example.com/hooks");
    assertThat(loopback.target()).isNull();
    assertThat(loopback.refusal()).contains("a loopback address (127.0.0.1)");
    WebhookUrlPolicy.Checked internal = policy.check("https://inside.example.com/hooks");
    assertThat(internal.target()).isNull();
    assertThat(internal.refusal()).contains("a private address (10.1.2.3)");
  }

  @Test
  void connectsToTheCheckedAddressWithTheHostNamePreservedAndNeverResolvesAgain() throws Exception {
    receiver.answerByDefault("/pinned", Receiver.Answer.of(200, "ok"));
    AtomicInteger lookups = new AtomicInteger();
    // First answer: the receiver's address. Any later answer would be a private address the
    // receiver does not listen on: a client that resolved again would not reach the receiver.
    WebhookUrlPolicy policy =
        new WebhookUrlPolicy(
            true,
            host ->
                List.of(
                    lookups.getAndIncrement() == 0
                        ? InetAddress.getLoopbackAddress()
                        : address("10.255.255.1")));
    int port = Integer.parseInt(receiver.url("").replaceAll(".*:", ""));
    String url = "http://hooks.pinned.invalid:" + port + "/pinned?source=test";
    WebhookUrlPolicy.Target target = policy.check(url).target();
    assertThat(target).isNotNull();

    String secret = WebhookSignature.newSecret();
    WebhookSender.Result result =
        sender.send(target, "msg_1", Instant.now(), "{\"type\":\"test\"}", secret);

    assertThat(result.succeeded()).as(String.valueOf(result.error())).isTrue();
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body()).isEqualTo("ok");
    assertThat(lookups).hasValue(1);
    Receiver.Request request = receiver.requests("/pinned").getFirst();
    assertThat(request.header("host")).isEqualTo("hooks.pinned.invalid:" + port);
    assertThat(request.body()).isEqualTo("{\"type\":\"test\"}");
    assertThat(request.header("webhook-id")).isEqualTo("msg_1");
  }

  @Test
  void readsStatusRetryAfterAndABoundedBody() throws Exception {
    receiver.script(
        "/busy", new Receiver.Answer(503, Map.of("Retry-After", "7"), "x".repeat(10_000)));
    WebhookUrlPolicy policy =
        new WebhookUrlPolicy(true, host -> List.of(InetAddress.getLoopbackAddress()));
    WebhookUrlPolicy.Target target = policy.check(receiver.url("/busy")).target();
    WebhookSender.Result result =
        sender.send(target, "msg_2", Instant.now(), "{}", WebhookSignature.newSecret());
    assertThat(result.status()).isEqualTo(503);
    assertThat(result.error()).isEqualTo("HTTP 503");
    assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(result.body()).hasSize(PinnedPost.MAX_BODY_BYTES);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
