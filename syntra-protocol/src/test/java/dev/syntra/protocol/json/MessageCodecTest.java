package dev.syntra.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.ProtocolErrorCode;
import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.Samples;
import dev.syntra.protocol.message.AgentMessage;
import dev.syntra.protocol.message.Command;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Heartbeat;
import dev.syntra.protocol.message.MessageType;
import dev.syntra.protocol.message.ProtocolError;
import dev.syntra.protocol.message.ScaleCommand;
import dev.syntra.protocol.message.Throttle;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  private final MessageCodec codec = MessageCodec.create();

  private String sample(MessageType type) {
    return codec.encode(Samples.envelope(Samples.messages().get(type)));
  }

  @Test
  void roundTripsEveryMessageType() {
    for (var message : Samples.messages().values()) {
      Envelope envelope = Samples.envelope(message);
      assertThat(codec.decode(codec.encode(envelope))).isEqualTo(envelope);
    }
  }

  @Test
  void ignoresUnknownFieldsAtEveryLevel() {
    String json =
        sample(MessageType.SCALE)
            .replace("{\"v\":1,", "{\"v\":1,\"future\":{\"x\":[1,2]},")
            .replace("\"replicas\":3", "\"replicas\":3,\"priority\":\"high\"")
            .replace("\"project\":\"shop\"", "\"project\":\"shop\",\"region\":\"eu\"");
    assertThat(codec.decode(json).payload()).isEqualTo(new ScaleCommand(Samples.WEB, 3));
  }

  @Test
  void answersUnknownTypeWithTypedError() {
    String json = sample(MessageType.STOP).replace("\"type\":\"stop\"", "\"type\":\"reboot\"");
    assertError(() -> codec.decode(json), ProtocolErrorCode.UNKNOWN_TYPE, "$.type");
  }

  @Test
  void answersNewerMajorVersionWithTypedErrorBeforeLookingAtTheType() {
    String json =
        sample(MessageType.STOP).replace("{\"v\":1,", "{\"v\":2,").replace("\"stop\"", "\"halt\"");
    assertError(() -> codec.decode(json), ProtocolErrorCode.UNSUPPORTED_VERSION, "$.v");
  }

  @Test
  void reportsMissingFieldWithItsJsonPath() {
    String json =
        sample(MessageType.DEPLOY).replace("\"image\":\"127.0.0.1:5000/shop/web:1.4.2\",", "");
    assertError(() -> codec.decode(json), ProtocolErrorCode.MISSING_FIELD, "$.payload.spec.image");
  }

  @Test
  void reportsWrongTypeWithItsJsonPath() {
    String json = sample(MessageType.DEPLOY).replace("\"replicas\":2", "\"replicas\":\"two\"");
    assertError(
        () -> codec.decode(json), ProtocolErrorCode.INVALID_FIELD, "$.payload.spec.replicas");
  }

  @Test
  void reportsInvalidValueInsideListsWithIndex() {
    String json = sample(MessageType.DEPLOY).replace("\"host_port\":18080", "\"host_port\":70000");
    ProtocolException e =
        assertError(
            () -> codec.decode(json),
            ProtocolErrorCode.INVALID_FIELD,
            "$.payload.spec.ports[0].publish.host_port");
    assertThat(e.getMessage()).contains("between 1 and 65535");
  }

  @Test
  void reportsRecordValidationFailureAtTheFieldPath() {
    String json = sample(MessageType.DEPLOY).replace("shop/web:1.4.2", "Shop/Web:1.4.2");
    ProtocolException e =
        assertError(
            () -> codec.decode(json), ProtocolErrorCode.INVALID_FIELD, "$.payload.spec.image");
    assertThat(e.getMessage()).contains("repository 'Shop/Web'");
  }

  @Test
  void throttleNeedsARetryAfterThatIsNotNegativeAndAReason() {
    String json = sample(MessageType.THROTTLE);
    assertThat(codec.decode(json).payload())
        .isEqualTo(new Throttle(Duration.ofSeconds(5), "ingest queue full"));
    assertError(
        () -> codec.decode(json.replace("\"retry_after_ms\":5000,", "")),
        ProtocolErrorCode.MISSING_FIELD,
        "$.payload.retry_after_ms");
    assertError(
        () -> codec.decode(json.replace("5000", "-1")),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.retry_after_ms");
    assertError(
        () -> codec.decode(json.replace("ingest queue full", " ")),
        ProtocolErrorCode.INVALID_FIELD,
        "$.payload.reason");
  }

  @Test
  void reportsUnknownEnumValueListingTheAllowedOnes() {
    String json =
        sample(MessageType.DEPLOY).replace("\"strategy\":\"rolling\"", "\"strategy\":\"yolo\"");
    ProtocolException e =
        assertError(
            () -> codec.decode(json), ProtocolErrorCode.INVALID_FIELD, "$.payload.spec.strategy");
    assertThat(e.getMessage()).contains("blue_green");
  }

  @Test
  void reportsAConditionallyRequiredFieldAsMissing() {
    String json = sample(MessageType.LOGS).replaceAll(",\"options\":\\{[^}]*\\}", "");
    assertError(() -> codec.decode(json), ProtocolErrorCode.MISSING_FIELD, "$.payload.options");
  }

  @Test
  void quotesMapKeysThatAreNotPlainInPaths() {
    String json =
        sample(MessageType.ALERT).replace("\"replica_id\":\"syn-shop-web-01hzy9-0\"", "\"a.b\":7");
    assertError(
        () -> codec.decode(json), ProtocolErrorCode.INVALID_FIELD, "$.payload.details[\"a.b\"]");
  }

  @Test
  void refusesMalformedJsonAndNonObjects() {
    assertError(() -> codec.decode("{\"v\":1,"), ProtocolErrorCode.MALFORMED_JSON, null);
    assertError(() -> codec.decode(""), ProtocolErrorCode.MALFORMED_JSON, null);
    assertError(() -> codec.decode("[1,2]"), ProtocolErrorCode.INVALID_FIELD, "$");
    assertError(() -> codec.decode("null"), ProtocolErrorCode.INVALID_FIELD, "$");
  }

  @Test
  void refusesDuplicateKeys() {
    String json =
        sample(MessageType.SCALE).replace("\"replicas\":3", "\"replicas\":3,\"replicas\":300");
    assertError(() -> codec.decode(json), ProtocolErrorCode.MALFORMED_JSON, null);
  }

  @Test
  void refusesMessagesOverTheSizeLimitBeforeParsing() {
    MessageCodec small = MessageCodec.create(512);
    String json = codec.encode(Samples.envelope(Samples.deploy()));
    assertThat(json.length()).isGreaterThan(512);
    assertError(() -> small.decode(json), ProtocolErrorCode.TOO_LARGE, null);
  }

  @Test
  void refusesDeepNesting() {
    String deep = "{\"v\":1,\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertError(() -> codec.decode(deep), ProtocolErrorCode.TOO_LARGE, null);
  }

  @Test
  void refusesBadEnvelopeFields() {
    String json = sample(MessageType.STOP).replace("\"nonce\":\"n0ncestop", "\"nonce\":\"n0");
    assertThatThrownBy(() -> codec.decode(json))
        .isInstanceOf(ProtocolException.class)
        .extracting(e -> ((ProtocolException) e).path())
        .isEqualTo("$.nonce");
    String badTs = sample(MessageType.STOP).replace("2026-11-26T12:00:00.125Z", "yesterday");
    assertError(() -> codec.decode(badTs), ProtocolErrorCode.INVALID_FIELD, "$.ts");
  }

  @Test
  void commandResultMustBeConsistent() {
    String json = sample(MessageType.COMMAND_RESULT).replace("\"ok\":true", "\"ok\":false");
    assertError(() -> codec.decode(json), ProtocolErrorCode.INVALID_FIELD, "$.payload.ok");
  }

  @Test
  void errorReplyNamesTheRefusedMessage() {
    String json = sample(MessageType.STOP).replace("\"type\":\"stop\"", "\"type\":\"reboot\"");
    byte[] input = json.getBytes(StandardCharsets.UTF_8);
    ProtocolException failure = catchProtocol(() -> codec.decode(input));
    Envelope reply = codec.errorReply(input, failure, Clock.fixed(Samples.T0, ZoneOffset.UTC));
    assertThat(reply.replyTo()).isEqualTo("msg_stop");
    assertThat(reply.payload())
        .isEqualTo(new ProtocolError("unknown_type", "unknown message type 'reboot'", "$.type"));
    assertThat(codec.decode(codec.encode(reply))).isEqualTo(reply);
  }

  @Test
  void errorReplyWithoutReadableIdHasNoReplyTo() {
    byte[] input = "not json".getBytes(StandardCharsets.UTF_8);
    ProtocolException failure = catchProtocol(() -> codec.decode(input));
    assertThat(codec.errorReply(input, failure, Clock.systemUTC()).replyTo()).isNull();
  }

  @Test
  void secretsStayOutOfToString() {
    assertThat(Samples.hello().toString()).doesNotContain("syn_tkn_");
    assertThat(Samples.helloOk().toString()).doesNotContain("syn_tkn_");
    String spec = Samples.deploySpec().toString();
    assertThat(spec)
        .doesNotContain("s3cret")
        .doesNotContain("registry-pass")
        .contains("DATABASE_URL");
  }

  @Test
  void handlersCanSwitchExhaustively() {
    Envelope envelope = codec.decode(sample(MessageType.DEPLOY));
    String handled =
        switch (envelope.payload()) {
          case Command c ->
              switch (c) {
                case DeployCommand d -> "deploy " + d.spec().image();
                default -> "other command";
              };
          case AgentMessage a -> a instanceof Heartbeat ? "heartbeat" : "agent";
          default -> "server";
        };
    assertThat(handled).isEqualTo("deploy 127.0.0.1:5000/shop/web:1.4.2");
  }

  private static ProtocolException assertError(
      ThrowingCallable call, ProtocolErrorCode code, String path) {
    ProtocolException e = catchProtocol(call);
    assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
    assertThat(e.path()).as(e.getMessage()).isEqualTo(path);
    return e;
  }

  private static ProtocolException catchProtocol(ThrowingCallable call) {
    try {
      call.call();
    } catch (ProtocolException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a ProtocolException, got " + t, t);
    }
    throw new AssertionError("expected a ProtocolException, nothing was thrown");
  }
}
