/** Command execution: at-most-once dispatch, runtime calls, outbox and log streams. */
@NullMarked
package dev.syntra.agent.command;

import org.jspecify.annotations.NullMarked;
