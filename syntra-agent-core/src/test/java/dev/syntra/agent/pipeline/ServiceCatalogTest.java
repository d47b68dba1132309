package dev.syntra.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.DeploySpec;
import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.telemetry.enrich.ServiceIdentity;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the catalog takes from a deploy spec's {@code OTEL_RESOURCE_ATTRIBUTES}. */
class ServiceCatalogTest {
  private static final ServiceRef WEB = new ServiceRef("k3x9a2", "shop", "web");

  @TempDir Path stateDir;

  private static DeploySpec spec(String resourceAttributes) {
    return DeploySpec.builder("dep_01", WEB, "127.0.0.1:5000/syntra-test/httpd:1")
        .env(Map.of("OTEL_RESOURCE_ATTRIBUTES", resourceAttributes))
        .build();
  }

  @Test
  void aPlusSignInAValueIsAPlusSignNotASpace() {
    // W3C baggage encoding, as the server's OtelEnvironment.encode writes it: '+' stays plain.
    assertThat(ServiceCatalog.resourceAttributes("deployment.environment=blue+green,k=a%2Cb%20c"))
        .containsEntry("deployment.environment", "blue+green")
        .containsEntry("k", "a,b c");
  }

  @Test
  void malformedEscapesSkipOnlyTheirPairAndAServerIdClaimIsNotAnIdentity() {
    ServiceCatalog catalog = ServiceCatalog.open(stateDir);
    catalog.deployed(
        spec(
            "syntra.service.id=svc_1,deployment.environment=%zz,x=%,"
                + "syntra.server.id=srv_other,=novalue,noequals,"
                + "y="
                + "%41".repeat(100_000)));

    ServiceIdentity identity = catalog.identity(WEB).orElseThrow();
    assertThat(identity.serviceId()).isEqualTo("svc_1");
    assertThat(identity.environment()).isNull();
    assertThat(identity.deploymentId()).isEqualTo("dep_01");
    assertThat(ServiceCatalog.open(stateDir).identity(WEB)).contains(identity);
  }

  @Test
  void aServiceNameSharedByTwoProjectsIdentifiesNeither() {
    ServiceCatalog catalog = ServiceCatalog.open(stateDir);
    catalog.deployed(spec("syntra.service.id=svc_shop_web"));
    assertThat(catalog.byServiceName("web"))
        .map(ServiceIdentity::serviceId)
        .contains("svc_shop_web");

    ServiceRef blogWeb = new ServiceRef("k3x9a2", "blog", "web");
    catalog.deployed(
        DeploySpec.builder("dep_02", blogWeb, "127.0.0.1:5000/syntra-test/httpd:1")
            .env(Map.of("OTEL_RESOURCE_ATTRIBUTES", "syntra.service.id=svc_blog_web"))
            .build());

    // Container logs and metrics carry service.name=web: either service could have sent them.
    assertThat(catalog.byServiceName("web")).isEmpty();
    assertThat(catalog.byServiceId("svc_blog_web"))
        .map(ServiceIdentity::serviceName)
        .contains("web");
  }
}
