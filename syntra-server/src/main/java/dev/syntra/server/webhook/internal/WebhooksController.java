package dev.syntra.server.webhook.internal;

import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Ids;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.webhook.WebhookSignature;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Webhook endpoints (spec §14.3): create, list, read, change, delete, rotate the signing secret.
 * Everything needs the admin permission, reading included: a webhook URL often is a credential
 * itself (chat-service hook URLs are). The secret is shown only by create and rotate-secret.
 */
@RestController
@RequestMapping("/api/v1/webhooks")
class WebhooksController {
  private final Tenancy tenancy;
  private final Webhooks webhooks;
  private final WebhookUrlPolicy policy;

  WebhooksController(Tenancy tenancy, Webhooks webhooks, WebhookUrlPolicy policy) {
    this.tenancy = tenancy;
    this.webhooks = webhooks;
    this.policy = policy;
  }

  @GetMapping
  Page<WebhookView> list(
      Caller caller,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.ADMIN);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> Page.of(webhooks.list(h, caller.orgId(), page), page, WebhookView::id));
  }

  @PostMapping
  ResponseEntity<WebhookWithSecret> create(
      Caller caller, @RequestBody(required = false) JsonNode json) {
    caller.require(Permission.ADMIN);
    JsonBody body = JsonBody.of(json);
    String url = WebhookInput.url(body, policy, true);
    List<String> events = WebhookInput.events(body, true);
    String description = WebhookInput.description(body);
    body.validate();
    UUID id = Ids.next();
    String secret = WebhookSignature.newSecret();
    WebhookView created =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              WebhookView webhook =
                  webhooks.insert(
                      h,
                      id,
                      caller.orgId(),
                      url,
                      description == null ? "" : description,
                      events,
                      secret);
              AuditLog.record(
                  h,
                  caller,
                  "webhook.created",
                  "webhook",
                  id,
                  Map.of("host", WebhookInput.host(url), "events", events));
              return webhook;
            });
    return ResponseEntity.created(URI.create("/api/v1/webhooks/" + id))
        .body(WebhookWithSecret.of(created, secret));
  }

  @GetMapping("/{id}")
  WebhookView get(Caller caller, @PathVariable UUID id) {
    return requireAdmin(caller, id);
  }

  @PatchMapping("/{id}")
  WebhookView update(
      Caller caller, @PathVariable UUID id, @RequestBody(required = false) JsonNode json) {
    requireAdmin(caller, id);
    // Read (and resolve) outside the transaction: a DNS lookup must not hold a connection.
    JsonBody body = JsonBody.of(json);
    String url = WebhookInput.url(body, policy, false);
    List<String> events = WebhookInput.events(body, false);
    String description = WebhookInput.description(body);
    Boolean active = body.bool("active", false);
    body.validate();
    List<String> fields = new ArrayList<>();
    for (String field : List.of("url", "events", "description", "active")) {
      if (body.has(field)) {
        fields.add(field);
      }
    }
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          webhooks.require(h, caller.orgId(), id);
          WebhookView updated =
              webhooks.update(h, caller.orgId(), id, url, description, events, active);
          AuditLog.record(h, caller, "webhook.updated", "webhook", id, Map.of("fields", fields));
          return updated;
        });
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable UUID id) {
    tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          WebhookView webhook = webhooks.require(h, caller.orgId(), id);
          caller.require(Permission.ADMIN);
          webhooks.delete(h, caller.orgId(), id);
          AuditLog.record(
              h,
              caller,
              "webhook.deleted",
              "webhook",
              id,
              Map.of("host", WebhookInput.host(webhook.url())));
          return null;
        });
    return ResponseEntity.noContent().build();
  }

  /** A new secret, effective for the next attempt; the old one stops working at once. */
  @PostMapping("/{id}/rotate-secret")
  WebhookWithSecret rotateSecret(Caller caller, @PathVariable UUID id) {
    String secret = WebhookSignature.newSecret();
    WebhookView rotated =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h -> {
              webhooks.require(h, caller.orgId(), id);
              caller.require(Permission.ADMIN);
              webhooks.replaceSecret(h, caller.orgId(), id, secret);
              AuditLog.record(h, caller, "webhook.secret_rotated", "webhook", id, Map.of());
              return webhooks.require(h, caller.orgId(), id);
            });
    return WebhookWithSecret.of(rotated, secret);
  }

  /** 404 for another organization's webhook (whatever the caller's role), then 403 if not admin. */
  private WebhookView requireAdmin(Caller caller, UUID id) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          WebhookView webhook = webhooks.require(h, caller.orgId(), id);
          caller.require(Permission.ADMIN);
          return webhook;
        });
  }
}
