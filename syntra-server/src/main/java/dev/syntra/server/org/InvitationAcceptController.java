package dev.syntra.server.org;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Problems;
import dev.syntra.server.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/invitations/accept {"token": "syn_inv_…", "name": "..."}}: the one public
 * write endpoint (the invitation token is the credential). The invitation's e-mail address finds
 * the user, or a new user is created with {@code name} (an existing user keeps their name). Answers
 * 201 with the membership and an API token shown once; 404 for an unknown token; 410 for a used,
 * revoked or expired one; 429 with {@code Retry-After} when the client address makes too many
 * attempts.
 */
@RestController
class InvitationAcceptController {
  private final AcceptRateLimiter limiter;
  private final InvitationAcceptance acceptance;

  InvitationAcceptController(AcceptRateLimiter limiter, InvitationAcceptance acceptance) {
    this.limiter = limiter;
    this.acceptance = acceptance;
  }

  @PostMapping("/api/v1/invitations/accept")
  ResponseEntity<?> accept(
      HttpServletRequest request, @RequestBody(required = false) JsonNode json) {
    String client = request.getRemoteAddr();
    long retryAfter = limiter.acquire(client);
    if (retryAfter > 0) {
      return tooManyAttempts(retryAfter);
    }
    JsonBody body = JsonBody.of(json);
    String token = body.string("token", true, 100);
    String name = body.string("name", true, 100);
    if (token != null && !Invitations.FORMAT.isWellFormed(token)) {
      body.reject("token", "is not an invitation token (syn_inv_…)");
    }
    body.validate();
    return ResponseEntity.status(HttpStatus.CREATED)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(acceptance.accept(token, name.strip(), client, null));
  }

  /**
   * An existing account joins the inviting organization; the invitation must be for its address.
   */
  @PostMapping("/api/v1/invitations/join")
  ResponseEntity<?> join(
      Caller caller, HttpServletRequest request, @RequestBody(required = false) JsonNode json) {
    long retryAfter = limiter.acquire(request.getRemoteAddr());
    if (retryAfter > 0) {
      return tooManyAttempts(retryAfter);
    }
    JsonBody body = JsonBody.of(json);
    String token = body.string("token", true, 100);
    if (token != null && !Invitations.FORMAT.isWellFormed(token)) {
      body.reject("token", "is not an invitation token (syn_inv_…)");
    }
    body.validate();
    return ResponseEntity.status(HttpStatus.CREATED)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(acceptance.accept(token, null, caller.ip(), caller.userId()));
  }

  private ResponseEntity<ProblemDetail> tooManyAttempts(long retryAfter) {
    ApiException e =
        new ApiException(
            HttpStatus.TOO_MANY_REQUESTS,
            "rate_limited",
            "too many invitation attempts from this address ("
                + limiter.perMinute()
                + " per minute); retry in "
                + retryAfter
                + " s");
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
    return new ResponseEntity<>(
        Problems.of(e.status(), e.code(), e.getMessage(), List.of()), headers, e.status());
  }
}
