package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class OtelEnvironmentTest {
  private static final UUID SERVICE = UUID.fromString("0199c1d2-0000-7000-8000-000000000001");
  private static final UUID PROJECT = UUID.fromString("0199c1d2-0000-7000-8000-000000000002");
  private static final UUID DEPLOYMENT = UUID.fromString("0199c1d2-0000-7000-8000-000000000003");
  private static final String OURS =
      "syntra.service.id="
          + SERVICE
          + ",syntra.deployment.id="
          + DEPLOYMENT
          + ",syntra.project.id="
          + PROJECT;

  private static OtelEnvironment.Identity identity(String environment) {
    return new OtelEnvironment.Identity("web", SERVICE, PROJECT, DEPLOYMENT, environment);
  }

  @Test
  void injectsEverythingForDocker() {
    Map<String, String> env = OtelEnvironment.inject(Map.of("A", "1"), identity(null), "docker");
    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "A", "1",
                "OTEL_SERVICE_NAME", "web",
                "OTEL_RESOURCE_ATTRIBUTES", OURS,
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://host.docker.internal:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
    assertThat(OtelEnvironment.inject(Map.of(), identity(null), null))
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://host.docker.internal:4318");
  }

  @Test
  void kubernetesReachesTheNodeThroughTheDownwardApiVariable() {
    assertThat(OtelEnvironment.inject(Map.of(), identity(null), "kubernetes"))
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://$(SYNTRA_NODE_IP):4318");
  }

  @Test
  void theUsersProtocolStaysWithOurEndpoint() {
    Map<String, String> env =
        OtelEnvironment.inject(
            Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), identity(null), "docker");
    assertThat(env).containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
  }

  @Test
  void mergesResourceAttributesKeepingOurSyntraKeys() {
    String merged =
        OtelEnvironment.resourceAttributes(
            identity("staging"),
            " team = shop ,syntra.deployment.id=x,,broken,=novalue,syntra.custom=1,"
                + "deployment.environment=prod,note=a%2Cb");
    assertThat(merged).isEqualTo(OURS + ",team=shop,deployment.environment=prod,note=a%2Cb");
    assertThat(OtelEnvironment.resourceAttributes(identity("my env,1"), null))
        .isEqualTo(OURS + ",deployment.environment=my%20env%2C1");
  }

  @Test
  void percentEncodesWhatBaggageValuesCannotHold() {
    assertThat(OtelEnvironment.encode("a b,c;d\\e\"f%g=h/é"))
        .isEqualTo("a%20b%2Cc%3Bd%5Ce%22f%25g=h/%C3%A9");
    assertThat(OtelEnvironment.encode("line\nbreak")).isEqualTo("line%0Abreak");
  }

  @Test
  void theOperatorSwitchIsCheckedAtStart() {
    assertThat(OtelInjection.from(new MockEnvironment()).enabled()).isTrue();
    assertThat(
            OtelInjection.from(new MockEnvironment().withProperty("SYNTRA_OTEL_INJECT", "FALSE"))
                .enabled())
        .isFalse();
    assertThatThrownBy(() ->
            OtelInjection.from(new MockEnvironment().withProperty("SYNTRA_OTEL_INJECT", "off")))
        .hasMessage("SYNTRA_OTEL_INJECT: expected true or false, got 'off'");
  }
}
