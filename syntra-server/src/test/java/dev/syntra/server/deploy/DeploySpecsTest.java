package dev.syntra.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.server.service.ServiceView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeploySpecsTest {
  @Test
  void theServicesConfinementGoesIntoTheSpec() {
    SecurityOptions security = new SecurityOptions(true, List.of("ALL"), List.of("NET_ADMIN"));
    DeploySpec spec = build(service(security));
    assertThat(spec.security()).isEqualTo(security);
    assertThat(build(service(SecurityOptions.DEFAULTS)).security())
        .isEqualTo(SecurityOptions.DEFAULTS);
  }

  private static DeploySpec build(ServiceView service) {
    UUID org = UUID.randomUUID();
    return DeploySpecs.build(
        UUID.randomUUID(),
        RuntimeNames.serviceRef(org, "shop", service.name()),
        service,
        "nginx:1.27",
        DeployStrategy.ROLLING,
        null,
        Map.of());
  }

  private static ServiceView service(SecurityOptions security) {
    Instant now = Instant.now();
    return new ServiceView(
        UUID.randomUUID(),
        UUID.randomUUID(),
        null,
        "web",
        "app",
        "image",
        "nginx:1.27",
        null,
        null,
        80,
        null,
        1,
        0,
        0,
        List.of("shop.example.com"),
        null,
        false,
        security,
        "web.shop.internal",
        now,
        now);
  }
}
