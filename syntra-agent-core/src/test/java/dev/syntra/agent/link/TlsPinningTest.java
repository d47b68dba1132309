package dev.syntra.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.syntra.agent.Agent;
import dev.syntra.agent.AgentConfig;
import dev.syntra.agent.testing.InMemoryRuntime;
import dev.syntra.agent.testing.TestCertificates;
import dev.syntra.agent.testing.TestHub;
import dev.syntra.protocol.security.TokenFormat;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a private CA named by its SHA-256, against a TLS hub on 127.0.0.1. */
class TlsPinningTest {
  @TempDir static Path certDir;
  private static TestCertificates certificates;
  private static TestHub hub;

  @BeforeAll
  static void startHub() throws Exception {
    certificates = TestCertificates.generate(certDir);
    hub = TestHub.tls(certificates.serverKeys);
  }

  @AfterAll
  static void stopHub() {
    hub.close();
  }

  private static Agent agent(Path stateDir, String pin) {
    AgentConfig config =
        AgentConfig.builder()
            .endpoint(hub.uri())
            .caSha256(pin)
            .registrationToken(TokenFormat.AGENT.generate(new SecureRandom()))
            .stateDir(stateDir)
            .backoff(new BackoffPolicy(Duration.ofMillis(100), Duration.ofMillis(300), 0.2))
            .telemetry(dev.syntra.agent.pipeline.PipelineConfig.disabled(stateDir))
            .build();
    Agent agent = Agent.create(config, new InMemoryRuntime());
    agent.start();
    return agent;
  }

  @Test
  void connectsWhenTheChainLeadsToThePinnedCa(@TempDir Path stateDir) {
    int before = hub.hellos.size();
    try (Agent agent = agent(stateDir, certificates.caSha256.toUpperCase())) {
      await().atMost(Duration.ofSeconds(15)).until(() -> agent.status().connected());
      assertThat(hub.hellos.size()).isGreaterThan(before);
    }
  }

  @Test
  void refusesAServerWhoseChainDoesNotContainThePinnedCa(@TempDir Path stateDir) {
    int before = hub.hellos.size();
    String wrongPin = "ab".repeat(32);
    try (Agent agent = agent(stateDir, wrongPin)) {
      await().atMost(Duration.ofSeconds(15)).until(() -> agent.status().lastError() != null);
      assertThat(agent.status().lastError()).contains("pinned").contains(wrongPin);
      assertThat(agent.status().connected()).isFalse();
      assertThat(hub.hellos.size()).isEqualTo(before);
    }
  }

  @Test
  void plainWebSocketNeedsAnExplicitFlag() {
    assertThatThrownBy(
            () -> LinkConfig.defaults(URI.create("ws://127.0.0.1:7443/agent/v1"), null, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--allow-insecure-ws");
    assertThat(LinkConfig.defaults(URI.create("ws://127.0.0.1:7443"), null, true).endpoint())
        .hasToString("ws://127.0.0.1:7443/agent/v1");
  }

  @Test
  void pinsAreNormalizedAndValidated() {
    String hex = "0123456789abcdef".repeat(4);
    assertThat(PinnedCaTrustManager.normalizePin("sha256:" + hex.toUpperCase())).isEqualTo(hex);
    assertThatThrownBy(() -> PinnedCaTrustManager.normalizePin("abc"))
        .hasMessageContaining("64 hex digits");
  }
}
