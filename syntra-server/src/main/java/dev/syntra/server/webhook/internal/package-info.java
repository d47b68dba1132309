/**
 * Webhook delivery: the endpoints that manage webhooks and show their delivery log, the URL policy,
 * and the dispatcher that signs and sends the outbox with retries. Other features only call {@link
 * dev.syntra.server.webhook.Events}; nothing outside this package uses it.
 */
@NullMarked
package dev.syntra.server.webhook.internal;

import org.jspecify.annotations.NullMarked;
