/**
 * The agent hub: the WebSocket endpoint agents connect to (TLS, registration, heartbeats, liveness)
 * and the durable per-server command queue. Other packages use {@link
 * dev.syntra.server.hub.AgentCommands} to send commands and implement {@link
 * dev.syntra.server.hub.AgentReportListener} to hear what agents report.
 */
@NullMarked
package dev.syntra.server.hub;

import org.jspecify.annotations.NullMarked;
