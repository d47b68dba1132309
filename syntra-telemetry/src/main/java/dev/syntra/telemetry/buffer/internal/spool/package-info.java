/**
 * The buffer's write-ahead disk spool: segment files of checksummed records, replayed after a
 * crash. Not API.
 */
@NullMarked
package dev.syntra.telemetry.buffer.internal.spool;

import org.jspecify.annotations.NullMarked;
