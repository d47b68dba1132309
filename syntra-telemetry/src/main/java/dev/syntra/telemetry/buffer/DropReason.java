package dev.syntra.telemetry.buffer;

import java.util.Locale;

/** Why the buffer lost or refused telemetry items. */
public enum DropReason {
  /** A sealed frame was evicted to make room (the buffer was full). */
  BUFFER_FULL,
  /** A chunk was refused (the buffer was above its watermark); the client was told to retry. */
  REFUSED,
  /** A chunk was larger than the largest frame and could not be split. */
  TOO_LARGE,
  /** Spooled data was unreadable after a crash (a torn or corrupt segment). */
  SPOOL_CORRUPT,
  /** The spool could not be written (disk full, I/O error); the chunk was refused. */
  SPOOL_ERROR;

  /** Lower-case name, as used in metric labels and alerts ({@code buffer_full}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
