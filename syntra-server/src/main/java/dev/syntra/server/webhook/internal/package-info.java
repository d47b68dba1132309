/**
 * Webhook delivery: the endpoints that manage webhooks and show their delivery log, the URL policy,
 * the outbox that subscribes to {@link dev.syntra.server.event.Events}, and the dispatcher that
 * signs and sends it with retries. Nothing outside this package uses it.
 */
@NullMarked
package dev.syntra.server.webhook.internal;

import org.jspecify.annotations.NullMarked;
