/** Talking to systemd when the agent runs as a {@code Type=notify} service: readiness, watchdog. */
@NullMarked
package dev.syntra.agent.systemd;

import org.jspecify.annotations.NullMarked;
