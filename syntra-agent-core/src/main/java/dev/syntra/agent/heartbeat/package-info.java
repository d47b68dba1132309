/** Heartbeats: host metrics plus the status of every service the agent manages. */
@NullMarked
package dev.syntra.agent.heartbeat;

import org.jspecify.annotations.NullMarked;
