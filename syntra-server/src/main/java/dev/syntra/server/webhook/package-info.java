/**
 * Outgoing webhooks, the part other features use: the event outbox ({@link
 * dev.syntra.server.webhook.Events}) and the Standard Webhooks signature ({@link
 * dev.syntra.server.webhook.WebhookSignature}). Endpoints and delivery live in {@code .internal}.
 */
@NullMarked
package dev.syntra.server.webhook;

import org.jspecify.annotations.NullMarked;
