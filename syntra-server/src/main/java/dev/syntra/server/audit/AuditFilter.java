package dev.syntra.server.audit;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.FieldError;
import dev.syntra.server.api.JsonBody;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Which audit entries to return: exact matches on {@code action}, {@code target_type}, {@code
 * target_id} and {@code actor_user_id}, and {@code since <= created_at < until} (RFC 3339 times
 * with an offset, e.g. {@code 2026-01-31T10:00:00Z}). Absent parameters match everything.
 */
record AuditFilter(
    @Nullable String action,
    @Nullable String targetType,
    @Nullable String targetId,
    @Nullable UUID actorUserId,
    @Nullable Instant since,
    @Nullable Instant until) {

  /** PostgreSQL timestamps reach year 294276; anything outside years 1-9999 is a client error. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** Parses the query parameters, answering 400 with every bad one. */
  static AuditFilter of(
      @Nullable String action,
      @Nullable String targetType,
      @Nullable String targetId,
      @Nullable String actorUserId,
      @Nullable String since,
      @Nullable String until) {
    List<FieldError> errors = new ArrayList<>();
    UUID actor = null;
    if (blankToNull(actorUserId) != null) {
      try {
        actor = UUID.fromString(actorUserId.strip());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("actor_user_id", "must be a user id"));
      }
    }
    Instant from = time("since", since, errors);
    Instant to = time("until", until, errors);
    if (from != null && to != null && !from.isBefore(to)) {
      errors.add(new FieldError("until", "must be after 'since'"));
    }
    check("action", action, 200, errors);
    check("target_type", targetType, 200, errors);
    check("target_id", targetId, 200, errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    return new AuditFilter(
        blankToNull(action), blankToNull(targetType), blankToNull(targetId), actor, from, to);
  }

  private static @Nullable Instant time(
      String name, @Nullable String value, List<FieldError> errors) {
    if (blankToNull(value) == null) {
      return null;
    }
    try {
      Instant parsed = OffsetDateTime.parse(value.strip()).toInstant();
      if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
        errors.add(new FieldError(name, "must be between the years 1 and 9999"));
        return null;
      }
      return parsed;
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(name, "must be an RFC 3339 time such as 2026-01-31T10:00:00Z"));
      return null;
    }
  }

  private static void check(
      String name, @Nullable String value, int maxLength, List<FieldError> errors) {
    if (value != null && value.length() > maxLength) {
      errors.add(new FieldError(name, "must be at most " + maxLength + " characters"));
    } else if (value != null && JsonBody.hasControlCharacters(value)) {
      errors.add(new FieldError(name, "must not contain control characters"));
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
