package dev.syntra.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  // The published Standard Webhooks test vector: reproducing it means any Standard Webhooks
  // library verifies what Syntra sends.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final String BODY = "{\"test\": 2432232314}";
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  private final Clock atSigning = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);

  @Test
  void reproducesTheStandardWebhooksTestVector() {
    assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(SIGNATURE);
    assertThat(verify(SECRET, BODY, SIGNATURE, atSigning)).isTrue();
  }

  @Test
  void acceptsTheSecretWithoutItsPrefix() {
    assertThat(verify("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", BODY, SIGNATURE, atSigning)).isTrue();
  }

  @Test
  void acceptsAnyOfSeveralSpaceSeparatedSignatures() {
    String header = "v2,ignored v1,bm9wZQ== " + SIGNATURE + " v1,###";
    assertThat(verify(SECRET, BODY, header, atSigning)).isTrue();
  }

  @Test
  void rejectsAlteredBodiesAndOtherSecrets() {
    assertThat(verify(SECRET, "{\"test\": 2432232315}", SIGNATURE, atSigning)).isFalse();
    String other = WebhookSignature.newSecret();
    assertThat(verify(other, BODY, SIGNATURE, atSigning)).isFalse();
    assertThat(verify(SECRET, BODY, "v1,bm9wZQ==", atSigning)).isFalse();
    assertThat(verify(SECRET, BODY, "", atSigning)).isFalse();
    assertThat(verify(SECRET, BODY, SIGNATURE.substring(3), atSigning)).isFalse();
  }

  @Test
  void rejectsTimestampsOutsideTheTolerance() {
    Clock late = Clock.offset(atSigning, Duration.ofSeconds(301));
    Clock early = Clock.offset(atSigning, Duration.ofSeconds(-301));
    Clock justInTime = Clock.offset(atSigning, Duration.ofSeconds(300));
    assertThat(verify(SECRET, BODY, SIGNATURE, late)).isFalse();
    assertThat(verify(SECRET, BODY, SIGNATURE, early)).isFalse();
    assertThat(verify(SECRET, BODY, SIGNATURE, justInTime)).isTrue();
    assertThat(
            WebhookSignature.verify(
                SECRET, ID, "not-a-number", BODY, SIGNATURE, atSigning, FIVE_MINUTES))
        .isFalse();
  }

  @Test
  void signsWithFreshSecretsOf32RandomBytes() {
    String secret = WebhookSignature.newSecret();
    assertThat(secret).startsWith("whsec_").isNotEqualTo(WebhookSignature.newSecret());
    assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    String header = WebhookSignature.sign(secret, "evt_1", TIMESTAMP, new byte[] {'{', '}'});
    assertThat(
            WebhookSignature.verify(
                secret, "evt_1", "1614265330", "{}", header, atSigning, FIVE_MINUTES))
        .isTrue();
  }

  @Test
  void refusesSecretsThatAreNotBase64WithoutRepeatingThem() {
    assertThatThrownBy(() -> verify("whsec_not base64!", BODY, SIGNATURE, atSigning))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("not base64!");
  }

  private static boolean verify(String secret, String body, String header, Clock clock) {
    return WebhookSignature.verify(
        secret, ID, Long.toString(TIMESTAMP), body, header, clock, FIVE_MINUTES);
  }
}
