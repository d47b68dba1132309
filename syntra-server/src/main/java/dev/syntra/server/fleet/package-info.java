/**
 * The organization's servers and their agents ({@code servers}): registration with one-time tokens,
 * the install command, agent authentication, heartbeats and offline marking ({@link
 * dev.syntra.server.fleet.AgentRegistry}), and what other packages may ask ({@link
 * dev.syntra.server.fleet.Fleet}).
 */
@NullMarked
package dev.syntra.server.fleet;

import org.jspecify.annotations.NullMarked;
