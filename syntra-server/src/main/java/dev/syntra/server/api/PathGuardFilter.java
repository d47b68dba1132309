package dev.syntra.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs first. Refuses request paths that could be read differently by the security filters (which
 * see the raw path) and by Spring MVC (which decodes it): percent-encoding, matrix parameters
 * ({@code ;}), empty and dot segments. No Syntra URL needs any of them. Also marks every API answer
 * {@code Cache-Control: no-store}, since many carry tokens or secrets once.
 */
public final class PathGuardFilter extends OncePerRequestFilter {
  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI();
    if (path.contains("%")
        || path.contains(";")
        || path.contains("//")
        || path.contains("/.")
        || path.contains("\\")) {
      Problems.write(
          response,
          new ApiException(
              org.springframework.http.HttpStatus.BAD_REQUEST,
              "invalid_path",
              "the path must not contain encoded characters, ';', '\\\\', empty or dot segments"));
      return;
    }
    if (path.startsWith("/api/")) {
      response.setHeader("Cache-Control", "no-store");
    }
    chain.doFilter(request, response);
  }
}
