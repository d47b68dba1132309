package dev.syntra.agent.collect;

import dev.syntra.protocol.runtime.LogLine;
import java.time.Instant;

/**
 * One log record before mapping: one line, or a stack trace joined from several.
 *
 * @param at runtime timestamp of the first line
 * @param stackTrace whether continuation lines of a stack trace were joined into it
 * @param last position of the last line in it, committed once the record is handed on
 */
record LogDraft(
    Instant at,
    LogLine.Stream stream,
    String replicaId,
    String text,
    int lines,
    boolean stackTrace,
    String key,
    LogPosition last) {}
