package dev.syntra.server.webhook.internal;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Event;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A webhook's delivery log, retrying a failed delivery, and sending a test event. Admins only:
 * deliveries carry event data.
 */
@RestController
@RequestMapping("/api/v1/webhooks/{id}")
class WebhookDeliveriesController {
  private final Tenancy tenancy;
  private final Webhooks webhooks;
  private final Deliveries deliveries;
  private final WebhookOutbox outbox;
  private final Clock clock;

  WebhookDeliveriesController(
      Tenancy tenancy,
      Webhooks webhooks,
      Deliveries deliveries,
      WebhookOutbox outbox,
      Clock clock) {
    this.tenancy = tenancy;
    this.webhooks = webhooks;
    this.deliveries = deliveries;
    this.outbox = outbox;
    this.clock = clock;
  }

  @GetMapping("/deliveries")
  Page<DeliveryView> list(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          requireAdmin(h, caller, id);
          return Page.of(deliveries.list(h, caller.orgId(), id, page), page, DeliveryView::id);
        });
  }

  @GetMapping("/deliveries/{deliveryId}")
  DeliveryView get(Caller caller, @PathVariable UUID id, @PathVariable UUID deliveryId) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          requireAdmin(h, caller, id);
          return deliveries.require(h, caller.orgId(), id, deliveryId);
        });
  }

  /** Queues a failed delivery again, for one more attempt now (its retry schedule is spent). */
  @PostMapping("/deliveries/{deliveryId}/retry")
  ResponseEntity<DeliveryView> retry(
      Caller caller, @PathVariable UUID id, @PathVariable UUID deliveryId) {
    DeliveryView retried =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              WebhookView webhook = requireAdmin(h, caller, id);
              DeliveryView delivery = deliveries.require(h, caller.orgId(), id, deliveryId);
              requireActive(webhook);
              if (!deliveries.requeue(h, caller.orgId(), deliveryId, clock.instant())) {
                throw ApiException.conflict(
                    "only failed deliveries can be retried; this one is " + delivery.status());
              }
              AuditLog.record(
                  h,
                  caller,
                  "webhook.delivery_retried",
                  "webhook",
                  id,
                  Map.of("delivery_id", deliveryId.toString()));
              return deliveries.require(h, caller.orgId(), id, deliveryId);
            });
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(retried);
  }

  /** Queues a {@code webhook.test} event for this webhook only, whatever it subscribes to. */
  @PostMapping("/test")
  ResponseEntity<DeliveryView> test(Caller caller, @PathVariable UUID id) {
    DeliveryView queued =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              requireActive(requireAdmin(h, caller, id));
              UUID deliveryId =
                  outbox.queueFor(
                      h,
                      id,
                      Event.of(
                          caller.orgId(),
                          "webhook.test",
                          Map.of(
                              "webhook_id", id.toString(), "message", "A test event from Syntra"),
                          clock.instant()));
              AuditLog.record(
                  h,
                  caller,
                  "webhook.tested",
                  "webhook",
                  id,
                  Map.of("delivery_id", deliveryId.toString()));
              return deliveries.require(h, caller.orgId(), id, deliveryId);
            });
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(queued);
  }

  /** 404 for another organization's webhook (whatever the caller's role), then 403 if not admin. */
  private WebhookView requireAdmin(Handle h, Caller caller, UUID id) {
    WebhookView webhook = webhooks.require(h, caller.orgId(), id);
    caller.require(Permission.ADMIN);
    return webhook;
  }

  private static void requireActive(WebhookView webhook) {
    if (!webhook.active()) {
      throw ApiException.conflict("the webhook is inactive; set \"active\": true first");
    }
  }
}
