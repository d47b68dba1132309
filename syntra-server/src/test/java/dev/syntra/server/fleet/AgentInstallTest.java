package dev.syntra.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentInstallTest {
  @Test
  void derivesTheHubFromThePublicHost() {
    AgentInstall install = new AgentInstall("https://syntra.example.com/", null);
    assertThat(install.hubUrl()).isEqualTo("wss://syntra.example.com:7443/agent/v1");
    assertThat(install.command("syn_tkn_abc"))
        .isEqualTo(
            "curl -fsSL https://syntra.example.com/install.sh | sudo sh -s --"
                + " --url https://syntra.example.com --endpoint wss://syntra.example.com:7443/agent/v1 --token syn_tkn_abc");
  }

  @Test
  void carriesTheCaFingerprintAndTheInsecureFlag() {
    String pin = "ab".repeat(32);
    assertThat(
            new AgentInstall("https://syntra.example.com", null, true, 7443, pin)
                .command("syn_tkn_abc"))
        .endsWith(
            "--endpoint wss://syntra.example.com:7443/agent/v1 --token syn_tkn_abc"
                + " --ca-sha256 "
                + pin);
    assertThat(
            new AgentInstall("http://localhost:8080", null, false, 9443, null)
                .command("syn_tkn_abc"))
        .endsWith(
            "--endpoint ws://localhost:9443/agent/v1 --token syn_tkn_abc" + " --allow-insecure-ws");
  }

  @Test
  void keepsIpv6HostsBracketed() {
    assertThat(new AgentInstall("http://[2001:db8::1]:8080", "").hubUrl())
        .isEqualTo("wss://[2001:db8::1]:7443/agent/v1");
  }

  @Test
  void usesTheConfiguredHubUrl() {
    AgentInstall install =
        new AgentInstall("https://syntra.example.com", "ws://10.0.0.5:9443/agents");
    assertThat(install.hubUrl()).isEqualTo("ws://10.0.0.5:9443/agents");
  }

  @Test
  void refusesUrlsThatAreNotSafeInACommandLine() {
    assertThatThrownBy(() -> new AgentInstall("https://x.example.com/$(reboot)", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SYNTRA_PUBLIC_URL");
    assertThatThrownBy(() -> new AgentInstall("https://x.example.com", "https://hub"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SYNTRA_HUB_URL");
    assertThatThrownBy(() -> new AgentInstall("syntra.example.com", null))
        .isInstanceOf(IllegalStateException.class);
  }
}
