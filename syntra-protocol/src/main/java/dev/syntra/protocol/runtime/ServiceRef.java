package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;
import java.util.regex.Pattern;

/**
 * Identifies a service on a runtime: the organization that owns it, its project and its service.
 * All three are DNS-safe because runtimes build container names ({@code
 * syn-{organization}-{project}-{service}-…}), namespaces, networks and labels from them; the
 * organization keeps two tenants that share one Docker host or cluster from colliding or adopting
 * each other's workloads.
 *
 * @param organization a short, stable key of the owning organization: 1-16 characters of {@code
 *     a-z0-9} (the control plane derives it from the organization id)
 * @param project the project's slug, a DNS label
 * @param service the service's name, a DNS label
 */
public record ServiceRef(String organization, String project, String service) {
  private static final Pattern ORGANIZATION = Pattern.compile("[a-z0-9]{1,16}");

  public ServiceRef {
    if (organization == null || !ORGANIZATION.matcher(organization).matches()) {
      throw new IllegalArgumentException(
          "organization: must be 1-16 characters of a-z and 0-9, was " + organization);
    }
    Checks.dnsLabel(project, "project");
    Checks.dnsLabel(service, "service");
  }

  /** {@code service.project.internal}, the name other services of the project reach it by. */
  public String internalDnsName() {
    return service + "." + project + ".internal";
  }

  @Override
  public String toString() {
    return organization + "/" + project + "/" + service;
  }
}
