/** Outgoing webhooks: the event outbox, signed deliveries with retries, and their endpoints. */
@NullMarked
package dev.syntra.server.webhook;

import org.jspecify.annotations.NullMarked;
