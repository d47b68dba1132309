package dev.syntra.server.auth;

import dev.syntra.protocol.security.TokenHash;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Problems;
import dev.syntra.server.db.Tenancy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every API request by its {@code Authorization: Bearer syn_pat_…} token, then
 * applies the organization's rate limit. The token is looked up by its SHA-256 only; revoked,
 * expired and orphaned tokens (user no longer a member) are refused with 401. The resulting {@link
 * Caller} is stored on the request for controllers.
 */
public final class TokenAuthFilter extends OncePerRequestFilter {
  public static final String CALLER_ATTRIBUTE = Caller.class.getName();
  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
  private static final int MAX_TOUCHED = 10_000;

  private final Tenancy tenancy;
  private final RateLimiter rateLimiter;
  private final Clock clock;
  private final Map<UUID, Instant> lastTouched = new ConcurrentHashMap<>();

  public TokenAuthFilter(Tenancy tenancy, RateLimiter rateLimiter, Clock clock) {
    this.tenancy = tenancy;
    this.rateLimiter = rateLimiter;
    this.clock = clock;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return PublicPaths.isPublic(request.getMethod(), path) || PublicPaths.isOperator(path);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Caller caller;
    try {
      caller = authenticate(request);
      rateLimiter.acquire(caller.orgId(), caller.plan());
    } catch (RateLimiter.Exceeded e) {
      response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
      Problems.write(response, e.toApiException());
      return;
    } catch (ApiException e) {
      if (e.status().value() == 401) {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"syntra\"");
      }
      Problems.write(response, e);
      return;
    }
    request.setAttribute(CALLER_ATTRIBUTE, caller);
    touch(caller);
    chain.doFilter(request, response);
  }

  private Caller authenticate(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiException.unauthorized("send an API token as 'Authorization: Bearer syn_pat_…'");
    }
    String token = header.substring(7).strip();
    if (!ApiTokens.looksValid(token)) {
      throw ApiException.unauthorized("the API token is malformed");
    }
    StoredToken stored =
        tenancy
            .withoutOrg(
                null,
                h ->
                    h.createQuery("SELECT * FROM syntra_find_api_token(:hash)")
                        .bind("hash", TokenHash.of(token).value())
                        .map((rs, ctx) -> StoredToken.read(rs))
                        .findOne())
            .orElseThrow(() -> ApiException.unauthorized("the API token is not valid"));
    Instant now = clock.instant();
    if (stored.revokedAt() != null) {
      throw ApiException.unauthorized("the API token was revoked");
    }
    if (stored.expiresAt() != null && !now.isBefore(stored.expiresAt())) {
      throw ApiException.unauthorized("the API token has expired");
    }
    Role role =
        Optional.ofNullable(stored.role())
            .flatMap(Role::fromWireName)
            .orElseThrow(() -> ApiException.unauthorized("the token's user is no longer a member"));
    return new Caller(
        stored.id(),
        stored.userId(),
        stored.orgId(),
        stored.scopes(),
        role,
        stored.plan(),
        request.getRemoteAddr());
  }

  /** Records last use at most once a minute per token, to keep auth read-only on the hot path. */
  private void touch(Caller caller) {
    Instant now = clock.instant();
    Instant previous = lastTouched.get(caller.tokenId());
    if (previous != null && previous.plus(TOUCH_INTERVAL).isAfter(now)) {
      return;
    }
    if (lastTouched.size() > MAX_TOUCHED) {
      lastTouched.clear(); // bounded: at worst a few extra writes after a clear
    }
    lastTouched.put(caller.tokenId(), now);
    tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h ->
            h.createUpdate("UPDATE api_tokens SET last_used_at = :now WHERE id = :id")
                .bind("now", now)
                .bind("id", caller.tokenId())
                .execute());
  }

  private record StoredToken(
      UUID id,
      UUID orgId,
      UUID userId,
      Set<Scope> scopes,
      @Nullable Instant expiresAt,
      @Nullable Instant revokedAt,
      @Nullable String role,
      String plan) {

    static StoredToken read(java.sql.ResultSet rs) throws SQLException {
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      Array array = rs.getArray("scopes");
      for (Object name : (Object[]) array.getArray()) {
        Scope.fromWireName(String.valueOf(name)).ifPresent(scopes::add);
      }
      var expires = rs.getTimestamp("expires_at");
      var revoked = rs.getTimestamp("revoked_at");
      return new StoredToken(
          rs.getObject("id", UUID.class),
          rs.getObject("org_id", UUID.class),
          rs.getObject("user_id", UUID.class),
          scopes,
          expires == null ? null : expires.toInstant(),
          revoked == null ? null : revoked.toInstant(),
          rs.getString("role"),
          rs.getString("plan"));
    }
  }
}
