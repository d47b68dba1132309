package dev.syntra.server.auth;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.db.Tenancy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
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
 * API tokens of the caller's user. A token is its user's own credential, so any token may mint
 * tokens for its user, in any organization the user belongs to, but never with a scope it does not
 * have itself ({@code admin} implies all) nor outliving its own expiry: minting never escalates.
 * Listing shows the caller's tokens; {@code ?all=true} shows every member's (admin). Anyone may
 * revoke their own tokens; revoking another member's needs admin, an owner's needs owner. A revoked
 * token is refused from its next request on.
 */
@RestController
@RequestMapping("/api/v1/tokens")
class TokensController {
  private static final String SCOPE_RULE = "must be one of [admin, deploy, read, write]";

  private final Tenancy tenancy;
  private final Tokens tokens;
  private final TokenAuditor auditor;
  private final Clock clock;
  private final Memberships memberships;

  TokensController(
      Tenancy tenancy, Tokens tokens, TokenAuditor auditor, Clock clock, Memberships memberships) {
    this.memberships = memberships;
    this.tenancy = tenancy;
    this.tokens = tokens;
    this.auditor = auditor;
    this.clock = clock;
  }

  /** The request of {@code POST /tokens}, validated. */
  private record NewToken(
      String name, UUID orgId, Set<Scope> scopes, @Nullable Integer expiresInDays) {}

  @PostMapping
  ResponseEntity<TokenCreated> create(Caller caller, @RequestBody(required = false) JsonNode json) {
    // Any member mints their own tokens; what bounds them is the calling token's scopes and life.
    caller.require(Permission.READ);
    NewToken request = read(JsonBody.of(json), caller);
    requireWithinCallerScopes(caller, request.scopes());
    Instant now = clock.instant();
    Instant expiresAt = expiry(caller, request.expiresInDays(), now);
    TokenCreated created =
        tenancy.inOrg(
            request.orgId(),
            caller.userId(),
            h -> {
              if (memberships.orgRole(h, request.orgId(), caller.userId()).isEmpty()) {
                throw ApiException.notFound("organization");
              }
              TokenIssuer.Issued issued =
                  TokenIssuer.issue(
                      h,
                      request.orgId(),
                      caller.userId(),
                      request.name(),
                      request.scopes(),
                      expiresAt,
                      null);
              TokenView view = tokens.find(h, request.orgId(), issued.id(), now).orElseThrow();
              auditor.record(
                  h,
                  request.orgId(),
                  caller,
                  "token.created",
                  issued.id(),
                  Map.of("name", view.name(), "scopes", view.scopes(), "user_id", view.userId()));
              return TokenCreated.of(view, issued.token());
            });
    return ResponseEntity.created(URI.create("/api/v1/tokens/" + created.id())).body(created);
  }

  @GetMapping
  Page<TokenView> list(
      Caller caller,
      @RequestParam(defaultValue = "false") boolean all,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(all ? Permission.ADMIN : Permission.READ);
    Page.Request page = Page.Request.of(limit, cursor);
    UUID owner = all ? null : caller.userId();
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h ->
            Page.of(
                tokens.list(h, caller.orgId(), owner, page, clock.instant()), page, TokenView::id));
  }

  @GetMapping("/{id}")
  TokenView get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          TokenView token = require(h, caller, id);
          if (!token.userId().equals(caller.userId())) {
            caller.require(Permission.ADMIN);
          }
          return token;
        });
  }

  /** Revokes a token; revoking a revoked token changes nothing. */
  @DeleteMapping("/{id}")
  ResponseEntity<Void> revoke(Caller caller, @PathVariable UUID id) {
    tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          Instant now = clock.instant();
          TokenView token = require(h, caller, id);
          if (!token.userId().equals(caller.userId())) {
            caller.require(Permission.ADMIN);
            if (memberships.orgRole(h, caller.orgId(), token.userId()).orElse(null) == Role.OWNER) {
              caller.require(Permission.OWNER);
            }
          }
          if (token.revokedAt() == null) {
            tokens.revoke(h, caller.orgId(), id, now);
            auditor.record(
                h,
                caller.orgId(),
                caller,
                "token.revoked",
                id,
                Map.of("name", token.name(), "user_id", token.userId()));
          }
          return null;
        });
    return ResponseEntity.noContent().build();
  }

  /** Minting never escalates: each scope must be implied by one of the calling token's. */
  private static void requireWithinCallerScopes(Caller caller, Set<Scope> wanted) {
    List<String> beyond =
        wanted.stream()
            .filter(scope -> caller.scopes().stream().noneMatch(held -> held.implies(scope)))
            .map(Scope::wireName)
            .toList();
    if (!beyond.isEmpty()) {
      throw ApiException.forbidden(
          "a token cannot be given scopes the calling token lacks: " + beyond);
    }
  }

  private TokenView require(Handle h, Caller caller, UUID id) {
    return tokens
        .find(h, caller.orgId(), id, clock.instant())
        .orElseThrow(() -> ApiException.notFound("token"));
  }

  private static NewToken read(JsonBody body, Caller caller) {
    String name = body.string("name", true, 100);
    String org = body.string("org_id", false, 64);
    UUID orgId = caller.orgId();
    if (org != null) {
      try {
        orgId = UUID.fromString(org);
      } catch (IllegalArgumentException e) {
        body.reject("org_id", "must be an organization id");
      }
    }
    List<String> names =
        body.strings("scopes", true, 4, s -> Scope.fromWireName(s).isPresent() ? null : SCOPE_RULE);
    if (names != null && names.isEmpty() && body.has("scopes")) {
      body.reject("scopes", "must name at least one scope");
    }
    Integer days = body.integer("expires_in_days", false, 1, 3650);
    body.validate();
    if (!orgId.equals(caller.orgId())) {
      // A token acts in one organization only: it cannot mint credentials for another one, even
      // of the same user (a leaked token must not widen into every organization of its user).
      throw ApiException.notFound("organization");
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    names.forEach(n -> scopes.add(Scope.fromWireName(n).orElseThrow()));
    return new NewToken(name, orgId, scopes, days);
  }

  /**
   * When the new token expires: after {@code days}, or with the calling token. A new token never
   * outlives the calling one, or minting would turn a short-lived token into a permanent one.
   */
  private @Nullable Instant expiry(Caller caller, @Nullable Integer days, Instant now) {
    Instant callerExpiry =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h ->
                tokens
                    .find(h, caller.orgId(), caller.tokenId(), now)
                    .map(TokenView::expiresAt)
                    .orElse(null));
    if (days == null) {
      return callerExpiry;
    }
    Instant wanted = now.plus(Duration.ofDays(days));
    if (callerExpiry != null && wanted.isAfter(callerExpiry)) {
      throw ApiException.invalid(
          "$.expires_in_days",
          "must not outlive the calling token, which expires at " + callerExpiry);
    }
    return wanted;
  }
}
