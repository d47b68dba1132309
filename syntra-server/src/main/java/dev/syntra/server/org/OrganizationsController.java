package dev.syntra.server.org;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.api.Slugs;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.auth.Role;
import dev.syntra.server.auth.TokenIssuer;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Organizations. Anyone with the write permission (a {@code write}-scoped token of a developer or
 * above) may found a new organization and becomes its owner, up to a per-user cap and unless the
 * operator turned self-service off ({@link OrganizationLimits}); the answer's founder token has the
 * calling token's scopes and expires with it at the latest; a token still acts only in its own
 * organization, so {@code GET /organizations/{id}} answers only for that one. Only the name can be
 * changed: the slug is a stable identifier, and the plan is set by the server operator (in the
 * database), never through the API.
 */
@RestController
@RequestMapping("/api/v1/organizations")
class OrganizationsController {
  private final Tenancy tenancy;
  private final Organizations organizations;
  private final Members members;
  private final OrganizationLimits limits;
  private final Clock clock;

  OrganizationsController(
      Tenancy tenancy,
      Organizations organizations,
      Members members,
      OrganizationLimits limits,
      Clock clock) {
    this.tenancy = tenancy;
    this.organizations = organizations;
    this.members = members;
    this.limits = limits;
    this.clock = clock;
  }

  /** The organizations the caller's user belongs to, with their role in each. */
  @GetMapping
  Page<OrganizationView> list(
      Caller caller,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.withoutOrg(
        caller.userId(),
        h ->
            Page.of(
                organizations.listForUser(h, caller.userId(), page), page, OrganizationView::id));
  }

  @PostMapping
  ResponseEntity<CreatedOrganization> create(
      Caller caller, @RequestBody(required = false) JsonNode json) {
    // A viewer changes nothing anywhere, not even by founding an organization.
    caller.require(Permission.WRITE);
    JsonBody body = JsonBody.of(json);
    String name = body.string("name", true, 100);
    String slug = body.string("slug", false, Slugs.LABEL, Slugs.RULE);
    if (name != null && slug == null && !body.has("slug") && Slugs.from(name).isEmpty()) {
      body.reject("name", "must contain letters or digits to derive a slug (or give 'slug')");
    }
    body.validate();
    String finalSlug = slug != null ? slug : Slugs.from(name);
    UUID id = Ids.next();
    // The founder's token never outlives the calling one, nor has more scopes (see below).
    Instant expiresAt =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              requireMayFound(h, caller);
              return TokenIssuer.expiryOf(h, caller);
            });
    CreatedOrganization created =
        tenancy.inOrg(
            id,
            caller.userId(),
            h -> {
              long founded = organizations.countFoundedLocked(h, caller.userId());
              if (founded >= limits.maxPerUser()) {
                throw new ApiException(
                    HttpStatus.FORBIDDEN,
                    "organization_limit_reached",
                    "you have founded "
                        + founded
                        + " organizations, the most this server allows per user ("
                        + OrganizationLimits.MAX_PER_USER
                        + "="
                        + limits.maxPerUser()
                        + ")");
              }
              if (!organizations.insert(h, id, name, finalSlug, caller.userId())) {
                throw ApiException.conflict(
                    "the organization slug '" + finalSlug + "' is taken; choose another 'slug'");
              }
              members.insert(h, id, caller.userId(), Role.OWNER, null, clock.instant());
              AuditLog.record(
                  h,
                  id,
                  caller.userId(),
                  caller.tokenId(),
                  caller.ip(),
                  "organization.created",
                  "organization",
                  id,
                  Map.of("slug", finalSlug, "name", name));
              // The founder's token for the new organization: never more than the calling token,
              // in scopes and in lifetime.
              TokenIssuer.Issued token =
                  TokenIssuer.issue(
                      h, id, caller.userId(), "founder", caller.scopes(), expiresAt, null);
              return CreatedOrganization.of(
                  organizations.find(h, id, caller.userId()).orElseThrow(),
                  token.id(),
                  token.token());
            });
    return ResponseEntity.created(URI.create("/api/v1/organizations/" + id))
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(created);
  }

  /** With self-service off, only the operator founds organizations: a {@code default} owner. */
  private void requireMayFound(Handle h, Caller caller) {
    if (limits.selfService()) {
      return;
    }
    boolean operator =
        caller.role() == Role.OWNER
            && organizations
                .find(h, caller.orgId(), caller.userId())
                .map(org -> org.slug().equals(OrganizationLimits.OPERATOR_SLUG))
                .orElse(false);
    if (!operator) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "organization_creation_disabled",
          "this server does not let users found organizations ("
              + OrganizationLimits.SELF_SERVICE
              + "=false); ask the operator");
    }
  }

  @GetMapping("/{id}")
  OrganizationView get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    OwnOrganization.require(caller, id);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h ->
            organizations
                .find(h, id, caller.userId())
                .orElseThrow(() -> ApiException.notFound("organization")));
  }

  @PatchMapping("/{id}")
  OrganizationView update(
      Caller caller, @PathVariable UUID id, @RequestBody(required = false) JsonNode json) {
    OwnOrganization.require(caller, id);
    caller.require(Permission.OWNER);
    JsonBody body = JsonBody.of(json);
    String name = body.string("name", false, 100);
    if (name != null && name.isBlank()) {
      body.reject("name", "must not be blank");
    }
    if (body.given("plan")) {
      body.reject("plan", "is set by the server operator and cannot be changed through the API");
    }
    if (body.given("slug")) {
      body.reject("slug", "cannot be changed: tokens, URLs and registries refer to it");
    }
    body.validate();
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          if (name != null) {
            organizations.rename(h, id, name);
            AuditLog.record(
                h,
                caller,
                "organization.updated",
                "organization",
                id,
                Map.of("fields", List.of("name")));
          }
          return organizations.find(h, id, caller.userId()).orElseThrow();
        });
  }
}
