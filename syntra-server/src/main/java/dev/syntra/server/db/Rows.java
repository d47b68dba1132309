package dev.syntra.server.db;

import java.sql.Timestamp;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Small conversions for reading rows. */
public final class Rows {
  private Rows() {}

  /** A nullable {@code timestamptz} column as an instant. */
  public static @Nullable Instant instant(@Nullable Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
