/**
 * Outgoing webhooks, the part other code uses: the Standard Webhooks signature ({@link
 * dev.syntra.server.webhook.WebhookSignature}) and how webhook secrets are sealed. Endpoints,
 * subscriptions to events and delivery live in {@code .internal}.
 */
@NullMarked
package dev.syntra.server.webhook;

import org.jspecify.annotations.NullMarked;
