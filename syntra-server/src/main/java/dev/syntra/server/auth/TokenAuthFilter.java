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
 * applies the organization's rate limit. A token whose format or checksum is wrong is refused with
 * 401 before any database work (only the operator's {@code SYNTRA_BOOTSTRAP_TOKEN}, which may lack
 * a checksum, is looked up as well); the others are looked up by their SHA-256 only; revoked,
 * expired and orphaned tokens (user no longer a member) are refused with 401. The resulting {@link
 * Caller} is stored on the request for controllers.
 *
 * <p>Requests that do not authenticate (public endpoints, missing, malformed or unknown tokens)
 * draw on a per-address budget ({@link AddressRateLimiter}); once it is spent they get 429 with
 * {@code Retry-After}, and only tokens that authenticated recently are still looked up, so a flood
 * of made-up tokens from one address cannot keep the database busy.
 */
public final class TokenAuthFilter extends OncePerRequestFilter {
  public static final String CALLER_ATTRIBUTE = Caller.class.getName();
  private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
  private static final int MAX_TOUCHED = 10_000;
  private static final int MAX_RECENTLY_VALID = 10_000;

  private final Tenancy tenancy;
  private final RateLimiter rateLimiter;
  private final AddressRateLimiter addressLimiter;
  private final @Nullable String bootstrapToken;
  private final Clock clock;
  private final Map<UUID, Instant> lastTouched = new ConcurrentHashMap<>();
  private final Set<String> recentlyValid = ConcurrentHashMap.newKeySet();

  TokenAuthFilter(
      Tenancy tenancy,
      RateLimiter rateLimiter,
      AddressRateLimiter addressLimiter,
      @Nullable String bootstrapToken,
      Clock clock) {
    this.tenancy = tenancy;
    this.rateLimiter = rateLimiter;
    this.addressLimiter = addressLimiter;
    this.bootstrapToken = bootstrapToken;
    this.clock = clock;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return PublicPaths.isOperator(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Caller caller;
    try {
      if (PublicPaths.isPublic(request.getMethod(), request.getRequestURI())) {
        addressLimiter.acquire(request.getRemoteAddr());
        chain.doFilter(request, response);
        return;
      }
      caller = authenticate(request);
      rateLimiter.acquire(caller.orgId(), caller.plan());
    } catch (RateLimiter.Exceeded e) {
      response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
      Problems.write(response, e.toApiException());
      return;
    } catch (AddressRateLimiter.Limited e) {
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

  /** The caller, or 401 (charged to the address's budget) or 429 when that budget is spent. */
  private Caller authenticate(HttpServletRequest request) {
    String address = request.getRemoteAddr();
    try {
      return lookUp(request, address);
    } catch (ApiException e) {
      addressLimiter.acquire(address); // throws Limited (429) once the address is over budget
      throw e;
    }
  }

  private Caller lookUp(HttpServletRequest request, String address) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiException.unauthorized("send an API token as 'Authorization: Bearer syn_pat_…'");
    }
    String token = header.substring(7).strip();
    if (!checksumValid(token)) {
      throw ApiException.unauthorized("the API token is malformed (wrong format or checksum)");
    }
    String hash = TokenHash.of(token).value();
    if (!recentlyValid.contains(hash) && !addressLimiter.hasBudget(address)) {
      // Over this address's budget a token not seen lately is not looked up: 429 (retry later),
      // never 401, so a client never throws a good token away.
      addressLimiter.acquire(address);
    }
    StoredToken stored =
        tenancy
            .withoutOrg(
                null,
                h ->
                    h.createQuery("SELECT * FROM syntra_find_api_token(:hash)")
                        .bind("hash", hash)
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
    if (recentlyValid.size() >= MAX_RECENTLY_VALID) {
      recentlyValid.clear(); // bounded; active tokens come back with their next request
    }
    recentlyValid.add(hash);
    return new Caller(
        stored.id(),
        stored.userId(),
        stored.orgId(),
        stored.scopes(),
        role,
        stored.plan(),
        request.getRemoteAddr());
  }

  /**
   * Generated tokens carry a checksum ({@link ApiTokens#FORMAT}); the operator's bootstrap token
   * may not, and is the only such token that exists.
   */
  private boolean checksumValid(String token) {
    if (ApiTokens.FORMAT.isWellFormed(token)) {
      return true;
    }
    return bootstrapToken != null
        && ApiTokens.looksValid(token)
        && TokenHash.constantTimeEquals(bootstrapToken, token);
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
