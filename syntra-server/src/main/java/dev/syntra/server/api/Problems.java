package dev.syntra.server.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** Builds RFC 9457 problem documents, for controllers and for servlet filters alike. */
public final class Problems {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Problems() {}

  public static ProblemDetail of(ApiException e) {
    return of(e.status(), e.code(), e.getMessage(), e.errors());
  }

  public static ProblemDetail of(
      HttpStatusCode status, String code, String detail, List<FieldError> errors) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create("https://syntra.dev/problems/" + code.replace('_', '-')));
    HttpStatus known = HttpStatus.resolve(status.value());
    problem.setTitle(known == null ? "Error" : known.getReasonPhrase());
    problem.setProperty("code", code);
    if (!errors.isEmpty()) {
      problem.setProperty("errors", errors);
    }
    return problem;
  }

  /** Writes a problem from a filter, where no controller advice runs. */
  public static void write(HttpServletResponse response, ApiException e) throws IOException {
    ProblemDetail problem = of(e);
    response.setStatus(e.status().value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    var body = new java.util.LinkedHashMap<String, Object>();
    body.put("type", String.valueOf(problem.getType()));
    body.put("title", problem.getTitle());
    body.put("status", problem.getStatus());
    body.put("detail", problem.getDetail());
    if (problem.getProperties() != null) {
      body.putAll(problem.getProperties());
    }
    JSON.writeValue(response.getOutputStream(), body);
  }
}
