/** Durable agent state: identity, command journal, managed services and the status file. */
@NullMarked
package dev.syntra.agent.state;

import org.jspecify.annotations.NullMarked;
