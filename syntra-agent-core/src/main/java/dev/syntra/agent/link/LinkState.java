package dev.syntra.agent.link;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The link's connection state for status reports.
 *
 * @param connected whether a session is open (hello_ok received)
 * @param since when {@code connected} last changed
 * @param lastError the last connection, TLS or handshake error, or null
 */
public record LinkState(boolean connected, Instant since, @Nullable String lastError) {}
