package dev.syntra.server.api;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Turns every failure into {@code application/problem+json} with a stable {@code code}. Unexpected
 * exceptions are logged once here and answered with a generic 500 that leaks nothing.
 */
@RestControllerAdvice
class ProblemHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return respond(e.status(), Problems.of(e));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
    return respond(
        HttpStatus.BAD_REQUEST,
        Problems.of(
            HttpStatus.BAD_REQUEST,
            "malformed_json",
            "the request body is not valid JSON",
            List.of(new FieldError("$", "could not be parsed"))));
  }

  /** A path id that is not a UUID names nothing: 404, like any unknown id. */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e) {
    if (e.getRequiredType() == UUID.class) {
      return api(ApiException.notFound(e.getName()));
    }
    return api(ApiException.invalid(e.getName(), "has an invalid value"));
  }

  /** A unique index caught a race between two identical creates: the loser gets a 409. */
  @ExceptionHandler(UnableToExecuteStatementException.class)
  ResponseEntity<ProblemDetail> database(UnableToExecuteStatementException e) {
    if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
      return api(ApiException.conflict("it already exists (created concurrently)"));
    }
    return other(e);
  }

  /**
   * Spring's own client errors (unknown route, 405, 415, ...) keep their status; others are 500.
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> other(Exception e) {
    if (e instanceof ErrorResponse error && error.getStatusCode().is4xxClientError()) {
      HttpStatusCode status = error.getStatusCode();
      String code = status.value() == 404 ? "not_found" : "http_" + status.value();
      String detail = error.getBody().getDetail();
      HttpHeaders headers = new HttpHeaders();
      headers.putAll(error.getHeaders());
      headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
      return new ResponseEntity<>(
          Problems.of(status, code, detail == null ? "request refused" : detail, List.of()),
          headers,
          status);
    }
    log.error("Unhandled error", e);
    return respond(
        HttpStatus.INTERNAL_SERVER_ERROR,
        Problems.of(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "internal",
            "an unexpected error occurred",
            List.of()));
  }

  private static ResponseEntity<ProblemDetail> respond(HttpStatusCode status, ProblemDetail body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return new ResponseEntity<>(body, headers, status);
  }
}
