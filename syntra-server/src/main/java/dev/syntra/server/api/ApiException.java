package dev.syntra.server.api;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An error answered to the client as {@code application/problem+json}: an HTTP status, a stable
 * machine-readable {@code code}, a message for people and, for bad input, the fields at fault.
 * Messages never contain secrets.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final String code;
  private final transient List<FieldError> errors;

  public ApiException(HttpStatus status, String code, String message, List<FieldError> errors) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = List.copyOf(errors);
  }

  public ApiException(HttpStatus status, String code, String message) {
    this(status, code, message, List.of());
  }

  /** 404 for anything missing or belonging to another organization; the two look the same. */
  public static ApiException notFound(String what) {
    return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " not found");
  }

  public static ApiException invalid(List<FieldError> errors) {
    return new ApiException(
        HttpStatus.BAD_REQUEST, "invalid_request", "the request body has invalid fields", errors);
  }

  public static ApiException invalid(String path, String message) {
    return invalid(List.of(new FieldError(path, message)));
  }

  public static ApiException conflict(String message) {
    return new ApiException(HttpStatus.CONFLICT, "conflict", message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(HttpStatus.FORBIDDEN, "forbidden", message);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
