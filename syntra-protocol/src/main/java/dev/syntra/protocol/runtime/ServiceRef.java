package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;

/**
 * Identifies a service on a runtime: its project and service slugs. Both are DNS labels because
 * runtimes build container names ({@code syn-{project}-{service}-…}), namespaces ({@code
 * syn-{project}}) and internal DNS names ({@code service.project.internal}) from them.
 */
public record ServiceRef(String project, String service) {
  public ServiceRef {
    Checks.dnsLabel(project, "project");
    Checks.dnsLabel(service, "service");
  }

  /** {@code service.project.internal}, the name other services of the project reach it by. */
  public String internalDnsName() {
    return service + "." + project + ".internal";
  }

  @Override
  public String toString() {
    return project + "/" + service;
  }
}
