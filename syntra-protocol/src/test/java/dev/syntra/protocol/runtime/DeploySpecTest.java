package dev.syntra.protocol.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.Samples;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploySpecTest {
  private final ServiceRef web = new ServiceRef("k3x9a2", "shop", "web");

  @Test
  void builderAppliesDefaults() {
    DeploySpec spec = DeploySpec.builder("dep_1", web, "busybox").build();
    assertThat(spec.replicas()).isEqualTo(1);
    assertThat(spec.strategy()).isEqualTo(DeployStrategy.ROLLING);
    assertThat(spec.limits()).isEqualTo(ResourceLimits.UNLIMITED);
    assertThat(spec.healthCheck()).isNull();
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
  }

  @Test
  void isImmutable() {
    Map<String, String> env = new HashMap<>();
    env.put("A", "1");
    DeploySpec spec = DeploySpec.builder("dep_1", web, "busybox").env(env).build();
    env.put("B", "2");
    assertThat(spec.env()).containsOnlyKeys("A");
    assertThatThrownBy(() -> spec.env().put("C", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void namesTheFieldOfEachViolation() {
    assertInvalid(DeploySpec.builder("dep 1", web, "busybox"), "deployment_id");
    assertInvalid(DeploySpec.builder("dep_1", web, "Busybox"), "image");
    assertInvalid(DeploySpec.builder("dep_1", web, "busybox").replicas(-1), "replicas");
    assertInvalid(DeploySpec.builder("dep_1", web, "busybox").env("1BAD", "x"), "env");
    assertInvalid(DeploySpec.builder("dep_1", web, "busybox").domain("shop.example.com"), "ports");
    assertInvalid(
        DeploySpec.builder("dep_1", web, "busybox").port(PortMapping.tcp(80)).domain("Not A Host"),
        "domains[0]");
    assertInvalid(
        DeploySpec.builder("dep_1", web, "busybox")
            .port(PortMapping.tcp(80))
            .port(PortMapping.tcp(80)),
        "ports[1]");
  }

  @Test
  void validatesPartsAtConstruction() {
    assertThatThrownBy(() -> new ServiceRef("k3x9a2", "Shop", "web"))
        .hasMessageStartingWith("project:");
    assertThatThrownBy(() -> new HostBinding("localhost", 80)).hasMessageStartingWith("host_ip:");
    assertThatThrownBy(() -> new HostBinding("127.0.0.1", 0)).hasMessageStartingWith("host_port:");
    assertThat(new HostBinding("::1", 8080).toString()).isEqualTo("[::1]:8080");
    assertThatThrownBy(() -> new HostBinding("::zz", 8080)).hasMessageStartingWith("host_ip:");
    for (String valid :
        List.of("::", "::1", "fe80::1", "2001:db8:0:0:0:0:2:1", "::ffff:127.0.0.1")) {
      assertThat(new HostBinding(valid, 80).ip()).isEqualTo(valid);
    }
    for (String invalid :
        List.of(".:", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "127.0.0.256", "٣:1")) {
      assertThatThrownBy(() -> new HostBinding(invalid, 80)).hasMessageStartingWith("host_ip:");
    }
    assertThatThrownBy(() -> new ResourceLimits(0, 1024)).hasMessageStartingWith("memory_bytes:");
    assertThatThrownBy(() ->
            new HealthCheck(
                HealthCheck.Type.HTTP,
                "healthz",
                80,
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1),
                3,
                java.time.Duration.ZERO))
        .hasMessageStartingWith("path:");
    assertThatThrownBy(() -> new RolloutOptions(0, 0, 10)).hasMessageStartingWith("max_surge:");
    assertThatThrownBy(() -> new Autoscaling(3, 2, 50)).hasMessageStartingWith("max_replicas:");
  }

  @Test
  void toStringHidesSecrets() {
    String text = Samples.deploySpec().toString();
    assertThat(text)
        .doesNotContain("s3cret", "registry-pass")
        .contains("DATABASE_URL", "password=***");
  }

  private static void assertInvalid(DeploySpec.Builder builder, String field) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(field + ":");
  }
}
