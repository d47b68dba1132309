package dev.syntra.server.service;

import dev.syntra.server.api.ApiException;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Who owns a host name: one service in the whole installation ({@code domain_claims}, whose primary
 * key is the normalized host). Across organizations a wildcard and an exact name of the same zone
 * exclude each other too: {@code *.example.com} cannot be claimed while another organization holds
 * {@code app.example.com}, nor the reverse, so no organization ever receives another's traffic (the
 * proxies route an exact name before a wildcard). Within one organization the two may coexist: the
 * exact name wins, and both belong to the same tenant. Claims go with their service (and its
 * project and organization) through foreign keys.
 */
@Component
class DomainClaims {

  /**
   * Makes the service's claims exactly {@code hosts} (normalized), in the caller's transaction.
   *
   * @throws ApiException 409 {@code domain_taken} naming the hosts held elsewhere (never by whom)
   */
  void claim(Handle h, UUID orgId, UUID serviceId, List<String> hosts) {
    // Claims of one zone are decided one transaction at a time: the overlap check reads what is
    // committed, so two organizations racing for "*.example.com" and "app.example.com" cannot both
    // see a free zone. Locks are taken in a fixed order, so two claimers never deadlock.
    new TreeSet<>(hosts.stream().map(DomainNames::zone).toList())
        .forEach(zone ->
            h.createQuery("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .bind("key", "syntra.domain:" + zone)
                .mapToMap()
                .one());
    h.createUpdate("DELETE FROM domain_claims WHERE org_id = :org AND service_id = :service")
        .bind("org", orgId)
        .bind("service", serviceId)
        .execute();
    if (hosts.isEmpty()) {
      return;
    }
    List<String> taken =
        h.createQuery("SELECT syntra_domain_conflicts(:hosts)")
            .bind("hosts", hosts.toArray(String[]::new))
            .mapTo(String.class)
            .list();
    if (!taken.isEmpty()) {
      throw taken(taken);
    }
    for (String host : hosts) {
      int inserted =
          h.createUpdate(
                  "INSERT INTO domain_claims (host, zone, wildcard, org_id, service_id)"
                      + " VALUES (:host, :zone, :wildcard, :org, :service)"
                      + " ON CONFLICT (host) DO NOTHING")
              .bind("host", host)
              .bind("zone", DomainNames.zone(host))
              .bind("wildcard", DomainNames.isWildcard(host))
              .bind("org", orgId)
              .bind("service", serviceId)
              .execute();
      if (inserted == 0) {
        throw taken(List.of(host));
      }
    }
  }

  private static ApiException taken(List<String> hosts) {
    return new ApiException(
        HttpStatus.CONFLICT,
        "domain_taken",
        String.join(", ", hosts)
            + (hosts.size() == 1 ? " is" : " are")
            + " already claimed by another service");
  }
}
