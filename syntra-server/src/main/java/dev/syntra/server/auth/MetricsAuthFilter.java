package dev.syntra.server.auth;

import dev.syntra.protocol.security.TokenHash;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the server's own endpoints under {@code /actuator}: health probes are open; everything
 * else (Prometheus metrics, which describe all tenants together) needs {@code Authorization: Bearer
 * <SYNTRA_METRICS_TOKEN>}, an operator secret distinct from tenants' API tokens. Without that
 * setting, metrics are refused.
 */
public final class MetricsAuthFilter extends OncePerRequestFilter {
  private final @Nullable String metricsToken;

  public MetricsAuthFilter(@Nullable String metricsToken) {
    this.metricsToken = metricsToken == null || metricsToken.isBlank() ? null : metricsToken;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return !path.startsWith("/actuator") || path.startsWith("/actuator/health");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (metricsToken == null) {
      Problems.write(
          response,
          ApiException.forbidden("metrics are off: set SYNTRA_METRICS_TOKEN to enable them"));
      return;
    }
    String header = request.getHeader("Authorization");
    String presented = header != null && header.startsWith("Bearer ") ? header.substring(7) : "";
    if (!TokenHash.constantTimeEquals(presented, metricsToken)) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"syntra-metrics\"");
      Problems.write(
          response, ApiException.unauthorized("send the metrics token as a Bearer token"));
      return;
    }
    chain.doFilter(request, response);
  }
}
