/**
 * The agent hub, pure transport: the WebSocket endpoint agents connect to (TLS, sessions, replay
 * checks, liveness sweeps). What it carries belongs to others: registration and heartbeats to
 * {@code fleet}, commands and their answers to {@code command}. Nothing else imports it.
 */
@NullMarked
package dev.syntra.server.hub;

import org.jspecify.annotations.NullMarked;
