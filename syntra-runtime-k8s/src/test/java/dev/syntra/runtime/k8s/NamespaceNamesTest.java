package dev.syntra.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.ServiceRef;
import dev.syntra.runtime.k8s.internal.Names;
import org.junit.jupiter.api.Test;

class NamespaceNamesTest {
  @Test
  void namespaceCarriesOrganizationAndProject() {
    assertThat(Names.namespace(new ServiceRef("k3x9a2", "shop", "web")))
        .isEqualTo("syn-k3x9a2-shop");
    assertThat(Names.namespace(new ServiceRef("other", "shop", "web"))).isEqualTo("syn-other-shop");
  }

  @Test
  void aNameBeyond63CharactersIsShortenedWithAStableHash() {
    String org = "a".repeat(16);
    String project = "p".repeat(40) + "-" + "x".repeat(22);
    String ns = Names.namespace(new ServiceRef(org, project, "web"));

    assertThat(ns).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(ns).startsWith("syn-" + org + "-" + "p".repeat(31) + "-");
    assertThat(Names.namespace(new ServiceRef(org, project, "api"))).isEqualTo(ns);
    // Same long prefix, other project or other organization: another namespace.
    assertThat(Names.namespace(new ServiceRef(org, project.substring(0, 62) + "y", "web")))
        .hasSizeLessThanOrEqualTo(63)
        .isNotEqualTo(ns);
    assertThat(Names.namespace(new ServiceRef("b".repeat(16), project, "web"))).isNotEqualTo(ns);
  }

  @Test
  void theShortenedProjectNeverEndsWithADash() {
    String project = "p".repeat(30) + "-" + "q".repeat(32);
    String ns = Names.namespace(new ServiceRef("a".repeat(16), project, "web"));

    assertThat(ns).doesNotContain("--").hasSizeLessThanOrEqualTo(63);
    assertThat(ns.substring(0, ns.lastIndexOf('-'))).endsWith("p");
  }

  @Test
  void theLongestUnshortenedNameIsKeptAsIs() {
    String project = "p".repeat(63 - "syn-k3x9a2-".length());
    assertThat(Names.namespace(new ServiceRef("k3x9a2", project, "web")))
        .isEqualTo("syn-k3x9a2-" + project)
        .hasSize(63);
  }
}
