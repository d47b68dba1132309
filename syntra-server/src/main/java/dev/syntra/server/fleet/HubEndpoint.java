package dev.syntra.server.fleet;

import org.jspecify.annotations.Nullable;

/**
 * How agents reach the hub, for install commands; supplied by the hub.
 *
 * @param tls whether agents connect with {@code wss://}
 * @param port the hub's port (0 when tests let it pick one)
 * @param caSha256 the SHA-256 of the hub CA's certificate agents pin, or null without one
 */
public record HubEndpoint(boolean tls, int port, @Nullable String caSha256) {
  /** The path agents connect to (PROTOCOL.md). */
  public static final String PATH = "/agent/v1";
}
