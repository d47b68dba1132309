package dev.syntra.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigFileTest {
  @Test
  void readsAgentAndRuntimeSettings() {
    ConfigFile file =
        ConfigFile.parse(
            List.of(
                "# Syntra agent",
                "",
                "endpoint = wss://syntra.example.com:7443/agent/v1",
                "ca_sha256=\"abc\"",
                "allow_insecure_ws=no",
                "DOCKER_HOST=unix:///run/docker.sock"),
            "agent.conf");
    assertThat(file.get("endpoint")).contains("wss://syntra.example.com:7443/agent/v1");
    assertThat(file.get("ca_sha256")).contains("abc");
    assertThat(file.flag("allow_insecure_ws")).contains(false);
    assertThat(file.get("token")).isEmpty();
    assertThat(file.runtimeSettings()).containsEntry("DOCKER_HOST", "unix:///run/docker.sock");
  }

  @Test
  void namesTheLineOfAnError() {
    assertThatThrownBy(
            () -> ConfigFile.parse(List.of("endpoint=x", "tokn=syn_tkn_abc"), "agent.conf"))
        .hasMessageContaining("agent.conf line 2")
        .hasMessageContaining("unknown key 'tokn'");
    assertThatThrownBy(() -> ConfigFile.parse(List.of("syn_tkn_secretsecretsecret"), "agent.conf"))
        .hasMessageContaining("line 1")
        .hasMessageNotContaining("secretsecret");
  }
}
