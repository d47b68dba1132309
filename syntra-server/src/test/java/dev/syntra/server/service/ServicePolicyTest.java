package dev.syntra.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.SecurityOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ServicePolicyTest {
  @Test
  void defaultsAllowOnlyLoopbackAboveTheFloor() {
    ServicePolicy policy = ServicePolicy.from(new MockEnvironment());
    assertThat(policy.minPublishPort()).isEqualTo(1024);
    assertThat(policy.portAllowed(1024)).isTrue();
    assertThat(policy.portAllowed(443)).isFalse();
    assertThat(policy.allowedHostIps()).isEmpty();
    assertThat(policy.allowedCapabilities()).isEmpty();
    assertThat(policy.allowNewPrivileges()).isFalse();
  }

  @Test
  void readsListsAndRanges() {
    ServicePolicy policy =
        ServicePolicy.from(
            new MockEnvironment()
                .withProperty("SYNTRA_PUBLISH_ALLOWED_HOST_IPS", "0.0.0.0, ::")
                .withProperty("SYNTRA_PUBLISH_ALLOWED_PORTS", "80, 8000-8010")
                .withProperty("SYNTRA_ALLOWED_CAPABILITIES", "net_admin,SYS_PTRACE")
                .withProperty("SYNTRA_ALLOW_NEW_PRIVILEGES", "true"));
    assertThat(policy.hostIpAllowed(ServicePolicy.literal("0:0:0:0:0:0:0:0"))).isTrue();
    assertThat(policy.portAllowed(80)).isTrue();
    assertThat(policy.portAllowed(8005)).isTrue();
    assertThat(policy.portAllowed(81)).isFalse();
    assertThat(policy.allowedCapabilities()).containsExactlyInAnyOrder("NET_ADMIN", "SYS_PTRACE");
    assertThat(policy.allowNewPrivileges()).isTrue();
  }

  @Test
  void malformedSettingsFailNamingTheVariable() {
    assertThatThrownBy(() -> policy("SYNTRA_PUBLISH_ALLOWED_HOST_IPS", "example.com"))
        .hasMessageContaining("SYNTRA_PUBLISH_ALLOWED_HOST_IPS");
    assertThatThrownBy(() -> policy("SYNTRA_PUBLISH_ALLOWED_PORTS", "90-80"))
        .hasMessageContaining("SYNTRA_PUBLISH_ALLOWED_PORTS");
    assertThatThrownBy(() -> policy("SYNTRA_ALLOWED_CAPABILITIES", "CAP_NET_ADMIN"))
        .hasMessageContaining("SYNTRA_ALLOWED_CAPABILITIES");
    assertThatThrownBy(() -> policy("SYNTRA_PUBLISH_MIN_PORT", "low"))
        .hasMessageContaining("SYNTRA_PUBLISH_MIN_PORT");
    assertThatThrownBy(() -> policy("SYNTRA_ALLOW_NEW_PRIVILEGES", "yes"))
        .hasMessageContaining("SYNTRA_ALLOW_NEW_PRIVILEGES");
  }

  @Test
  void extraCapabilitiesCountWhatTheRuntimeKeepsWhenAllIsNotDropped() {
    assertThat(PrivilegedChanges.extraCapabilities(SecurityOptions.DEFAULTS)).isEmpty();
    assertThat(
            PrivilegedChanges.extraCapabilities(
                new SecurityOptions(true, List.of("ALL"), List.of("CHOWN", "NET_ADMIN"))))
        .containsExactly("NET_ADMIN");
    assertThat(
            PrivilegedChanges.extraCapabilities(
                new SecurityOptions(true, List.of("NET_RAW", "MKNOD"), List.of())))
        .containsExactlyInAnyOrder("AUDIT_WRITE", "SETFCAP", "SETPCAP", "SYS_CHROOT");
  }

  private static ServicePolicy policy(String name, String value) {
    return ServicePolicy.from(new MockEnvironment().withProperty(name, value));
  }
}
