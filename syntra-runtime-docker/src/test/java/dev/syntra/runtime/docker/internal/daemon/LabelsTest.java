package dev.syntra.runtime.docker.internal.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.ServiceRef;
import org.junit.jupiter.api.Test;

class LabelsTest {

  @Test
  void containerNamesCarryTheOrganization() {
    ServiceRef web = new ServiceRef("k3x9a2", "shop", "web");

    assertThat(Labels.containerName(web, "dep-0001-ABCDEF12", 3))
        .isEqualTo("syn-k3x9a2-shop-web-abcdef12-3");
    assertThat(Labels.containerName(new ServiceRef("other", "shop", "web"), "dep-1", 0))
        .isNotEqualTo(Labels.containerName(web, "dep-1", 0));
  }

  @Test
  void longNamesStayOneDnsLabelAndApart() {
    String project = "p".repeat(63);
    ServiceRef a = new ServiceRef("o".repeat(16), project, "s".repeat(40) + "a");
    ServiceRef b = new ServiceRef("o".repeat(16), project, "s".repeat(40) + "b");

    String nameA = Labels.containerName(a, "deployment-12345678", 999);
    String nameB = Labels.containerName(b, "deployment-12345678", 999);

    assertThat(nameA).hasSizeLessThanOrEqualTo(Labels.MAX_NAME_LENGTH);
    assertThat(nameA).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    assertThat(nameA).startsWith("syn-" + "o".repeat(16) + "-").endsWith("-12345678-999");
    assertThat(nameA).isNotEqualTo(nameB);
  }

  @Test
  void labelFiltersAndNetworksIncludeTheOrganization() {
    ServiceRef web = new ServiceRef("k3x9a2", "shop", "web");

    assertThat(Labels.filter(web)).containsEntry(Labels.ORGANIZATION, "k3x9a2");
    assertThat(Labels.projectFilter(web)).containsEntry(Labels.ORGANIZATION, "k3x9a2");
    assertThat(Labels.network(web)).isEqualTo("syn-k3x9a2-shop");
  }
}
