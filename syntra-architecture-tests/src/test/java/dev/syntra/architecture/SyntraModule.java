package dev.syntra.architecture;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Our modules, their base packages and the modules each may use: the module table of DESIGN.md. The
 * architecture rules derive from this table, so a module is checked as soon as its classes are on
 * the test classpath.
 */
enum SyntraModule {
  PROTOCOL("syntra-protocol", "dev.syntra.protocol"),
  TELEMETRY("syntra-telemetry", "dev.syntra.telemetry", PROTOCOL),
  AI("syntra-ai", "dev.syntra.ai", PROTOCOL, TELEMETRY),
  RUNTIME_DOCKER("syntra-runtime-docker", "dev.syntra.runtime.docker", PROTOCOL),
  RUNTIME_K8S("syntra-runtime-k8s", "dev.syntra.runtime.k8s", PROTOCOL),
  // Runtime adapters reach agent-core only at runtime, through ServiceLoader.
  AGENT_CORE("syntra-agent-core", "dev.syntra.agent", PROTOCOL, TELEMETRY),
  SDK("syntra-sdk", "dev.syntra.sdk"),
  SERVER("syntra-server", "dev.syntra.server", PROTOCOL, TELEMETRY, AI);

  private final String artifactId;
  private final String basePackage;
  private final List<SyntraModule> mayUse;

  SyntraModule(String artifactId, String basePackage, SyntraModule... mayUse) {
    this.artifactId = artifactId;
    this.basePackage = basePackage;
    this.mayUse = List.of(mayUse);
  }

  /** The module whose base package is the longest one containing {@code packageName}, if any. */
  static Optional<SyntraModule> owning(String packageName) {
    return Arrays.stream(values())
        .filter(module -> module.contains(packageName))
        .max(Comparator.comparingInt(module -> module.basePackage.length()));
  }

  String artifactId() {
    return artifactId;
  }

  /** The other modules this one may depend on. */
  List<SyntraModule> mayUse() {
    return mayUse;
  }

  /** The ArchUnit pattern for the base package and everything below it. */
  String packagePattern() {
    return basePackage + "..";
  }

  boolean contains(String packageName) {
    return packageName.equals(basePackage) || packageName.startsWith(basePackage + ".");
  }

  /** Whether {@code packageName} is an {@code internal} package of this module, at any depth. */
  boolean isInternal(String packageName) {
    return contains(packageName)
        && (packageName.substring(basePackage.length()) + ".").contains(".internal.");
  }

  @Override
  public String toString() {
    return artifactId;
  }
}
