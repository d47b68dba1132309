package dev.syntra.server.fleet;

import dev.syntra.protocol.security.TokenFormat;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Events;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Servers (spec §7.1, §14.2). Admins add one by name: it starts {@code pending} with a one-time
 * registration token ({@code syn_tkn_…}, valid {@link #REGISTRATION_VALIDITY}) and the command that
 * installs its agent; while it is pending, a new token can replace a lost or expired one. The
 * agent's registration with that token arrives with the agent hub. An admin can revoke the agent
 * (credential and link cut at once) and delete the server (its workloads are stopped first).
 */
@RestController
@RequestMapping("/api/v1/servers")
class ServersController {
  static final Duration REGISTRATION_VALIDITY = Duration.ofHours(24);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final String NAME_RULE =
      "must be 1-63 characters of letters, digits, '.', '_' and '-', starting with a letter or"
          + " digit";

  private final Tenancy tenancy;
  private final Servers servers;
  private final AgentInstall install;
  private final Clock clock;
  private final AgentLinks links;
  private final Events events;
  private final ServerRemoval removal;

  ServersController(
      Tenancy tenancy,
      Servers servers,
      AgentInstall install,
      Clock clock,
      AgentLinks links,
      Events events,
      ServerRemoval removal) {
    this.events = events;
    this.removal = removal;
    this.tenancy = tenancy;
    this.servers = servers;
    this.install = install;
    this.clock = clock;
    this.links = links;
  }

  @PostMapping
  ResponseEntity<ServerRegistration> create(
      Caller caller, @RequestBody(required = false) JsonNode json) {
    caller.require(Permission.ADMIN);
    JsonBody body = JsonBody.of(json);
    String name = body.string("name", true, NAME, NAME_RULE);
    body.validate();
    UUID id = Ids.next();
    String token = TokenFormat.AGENT.generate(RANDOM);
    ServerRegistration created =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              Instant expires = clock.instant().plus(REGISTRATION_VALIDITY);
              if (!servers.insert(h, id, caller.orgId(), name, token, expires)) {
                throw ApiException.conflict("a server named '" + name + "' exists");
              }
              ServerView server = servers.require(h, caller.orgId(), id);
              AuditLog.record(h, caller, "server.created", "server", id, Map.of("name", name));
              events.emit(h, caller.orgId(), "server.created", server.event(), clock.instant());
              return new ServerRegistration(server, token, install.command(token));
            });
    return ResponseEntity.created(URI.create("/api/v1/servers/" + id)).body(created);
  }

  @GetMapping
  Page<ServerView> list(
      Caller caller,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> Page.of(servers.list(h, caller.orgId(), page), page, ServerView::id));
  }

  @GetMapping("/{id}")
  ServerView get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(), caller.userId(), h -> servers.require(h, caller.orgId(), id));
  }

  /**
   * Removes a server. When its agent runs services, each gets a stop command there and is
   * unassigned, and the answer is 202 with the server marked {@code deletion_requested_at}: it is
   * deleted once its agent has answered (at once if connected, else when it comes back). Without
   * services (or without an agent) it is deleted at once: 204. {@code ?force=true} deletes at once
   * whatever still runs there. Deleting cuts the agent's credential and link.
   */
  @DeleteMapping("/{id}")
  ResponseEntity<?> delete(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false, defaultValue = "false") boolean force) {
    caller.require(Permission.ADMIN);
    ServerView draining =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              ServerView server = servers.require(h, caller.orgId(), id);
              return removal.delete(h, caller, server, force)
                  ? null
                  : servers.require(h, caller.orgId(), id);
            });
    return draining == null
        ? ResponseEntity.noContent().build()
        : ResponseEntity.accepted().body(draining);
  }

  /**
   * Revokes the server's agent at once: its credential is refused from now on ({@code
   * agent_revoked}), its live link is closed and an unused registration token expires. Idempotent.
   * A new registration token ({@code POST .../registration-token}) enrols an agent again.
   */
  @PostMapping("/{id}/revoke")
  ServerView revoke(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.ADMIN);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          ServerView server = servers.require(h, caller.orgId(), id);
          if (servers.revoke(h, caller.orgId(), id)) {
            AuditLog.record(
                h, caller, "server.agent_revoked", "server", id, Map.of("name", server.name()));
          }
          h.afterCommit(() -> links.disconnect(id));
          return servers.require(h, caller.orgId(), id);
        });
  }

  /**
   * A new registration token for a pending or revoked server; the previous one stops working. For a
   * revoked server the old agent is forgotten and the token enrols a new one.
   */
  @PostMapping("/{id}/registration-token")
  ServerRegistration reissue(Caller caller, @PathVariable UUID id) {
    String token = TokenFormat.AGENT.generate(RANDOM);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          servers.require(h, caller.orgId(), id);
          caller.require(Permission.ADMIN);
          Instant expires = clock.instant().plus(REGISTRATION_VALIDITY);
          if (!servers.replaceRegistrationToken(h, caller.orgId(), id, token, expires)) {
            throw ApiException.conflict(
                "the server has a registered agent; registration tokens are only for pending"
                    + " servers and servers whose agent was revoked (POST /api/v1/servers/"
                    + id
                    + "/revoke)");
          }
          AuditLog.record(h, caller, "server.registration_token_issued", "server", id, Map.of());
          return new ServerRegistration(
              servers.require(h, caller.orgId(), id), token, install.command(token));
        });
  }
}
