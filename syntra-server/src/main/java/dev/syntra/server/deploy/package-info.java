/**
 * Deploy orchestration: deployments of services (start, roll back, cancel, history, live events),
 * restart/scale/stop commands, and the state machine fed by what agents report through the hub.
 */
@NullMarked
package dev.syntra.server.deploy;

import org.jspecify.annotations.NullMarked;
