package dev.syntra.server.deploy;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.service.Services;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Deployment history and detail (spec §14.2), the live event stream of a deployment, and cancel.
 * Lists are newest first; {@code next_cursor} continues with older deployments.
 */
@RestController
class DeploymentsController {
  private final Tenancy tenancy;
  private final Services services;
  private final Deployments deployments;
  private final DeploymentStreams streams;
  private final DeploymentLauncher deployer;

  DeploymentsController(
      Tenancy tenancy,
      Services services,
      Deployments deployments,
      DeploymentStreams streams,
      DeploymentLauncher deployer) {
    this.tenancy = tenancy;
    this.services = services;
    this.deployments = deployments;
    this.streams = streams;
    this.deployer = deployer;
  }

  @GetMapping("/api/v1/services/{serviceId}/deployments")
  Page<DeploymentView> list(
      Caller caller,
      @PathVariable UUID serviceId,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.READ);
    Page.Request page = Page.Request.of(limit, cursor);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          services.require(h, caller.orgId(), serviceId);
          return Page.of(
              deployments.listNewestFirst(h, caller.orgId(), serviceId, page),
              page,
              DeploymentView::id);
        });
  }

  /** The deployment with every event so far. */
  @GetMapping("/api/v1/deployments/{id}")
  DeploymentView get(Caller caller, @PathVariable UUID id) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(), caller.userId(), h -> deployments.requireWithEvents(h, caller.orgId(), id));
  }

  /**
   * Server-Sent Events: {@code deployment_event} events (id = the event's {@code seq}) from the
   * start, or after {@code Last-Event-ID}, then live until the deployment finishes, when an {@code
   * end} event closes the stream.
   */
  @GetMapping("/api/v1/deployments/{id}/events")
  SseEmitter events(
      Caller caller,
      @PathVariable UUID id,
      @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
    caller.require(Permission.READ);
    long after = afterSeq(lastEventId);
    tenancy.inOrg(caller.orgId(), caller.userId(), h -> deployments.require(h, caller.orgId(), id));
    return streams.open(caller.orgId(), caller.tokenId(), id, after);
  }

  /** Cancels a deployment whose command the agent has not received yet (else 409). */
  @PostMapping("/api/v1/deployments/{id}/cancel")
  ResponseEntity<DeploymentView> cancel(Caller caller, @PathVariable UUID id) {
    return ResponseEntity.ok(deployer.cancel(caller, Permission.DEPLOY, id));
  }

  private static long afterSeq(@Nullable String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return 0;
    }
    try {
      long seq = Long.parseLong(lastEventId.strip());
      if (seq >= 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid("Last-Event-ID", "must be the id of an event of this stream");
  }
}
