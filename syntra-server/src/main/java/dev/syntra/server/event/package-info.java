/**
 * Domain events: the catalogue of event types and {@link dev.syntra.server.event.Events}, which
 * features call in the transaction of their change. Subscribers (webhooks) record what they need in
 * that same transaction.
 */
@NullMarked
package dev.syntra.server.event;

import org.jspecify.annotations.NullMarked;
