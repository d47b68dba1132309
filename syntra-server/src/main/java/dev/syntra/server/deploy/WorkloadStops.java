package dev.syntra.server.deploy;

import dev.syntra.protocol.message.StopCommand;
import dev.syntra.server.command.AgentCommands;
import dev.syntra.server.fleet.Fleet;
import dev.syntra.server.fleet.ServerDeletionListener;
import dev.syntra.server.project.ProjectChangeListener;
import dev.syntra.server.project.ProjectView;
import dev.syntra.server.project.Projects;
import dev.syntra.server.service.ServiceChangeListener;
import dev.syntra.server.service.ServiceView;
import dev.syntra.server.service.Services;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Nothing keeps running that nobody owns. When a workload loses its owner or its name, its agent
 * gets a stop for the runtime name it ran under ({@link RuntimeNames#serviceRef}: organization,
 * project slug, service name), queued in the changing transaction and delivered when the agent is
 * connected (the command outlives the service row):
 *
 * <ul>
 *   <li>a service is deleted, renamed, or moved to another server (stopped on the old one);
 *   <li>a project is deleted (each of its services) or its slug changes (each service under the old
 *       slug; deploying again runs it under the new one);
 *   <li>a server is deleted (each service on it, which is then unassigned).
 * </ul>
 *
 * Services on no server, or on a server whose agent never registered, have nothing to stop.
 */
@Component
class WorkloadStops
    implements ServiceChangeListener, ProjectChangeListener, ServerDeletionListener {
  private final AgentCommands commands;
  private final Services services;
  private final Projects projects;
  private final Fleet fleet;

  WorkloadStops(AgentCommands commands, Services services, Projects projects, Fleet fleet) {
    this.commands = commands;
    this.services = services;
    this.projects = projects;
    this.fleet = fleet;
  }

  @Override
  public void beforeDelete(Handle h, UUID orgId, ServiceView service, String projectSlug) {
    stop(h, orgId, service.serverId(), projectSlug, service.name());
  }

  @Override
  public void updated(
      Handle h, UUID orgId, ServiceView before, ServiceView after, String projectSlug) {
    if (!Objects.equals(before.serverId(), after.serverId())
        || !before.name().equals(after.name())) {
      stop(h, orgId, before.serverId(), projectSlug, before.name());
    }
  }

  @Override
  public void beforeDelete(Handle h, UUID orgId, ProjectView project) {
    for (ServiceView service : services.inProject(h, orgId, project.id())) {
      stop(h, orgId, service.serverId(), project.slug(), service.name());
    }
  }

  @Override
  public void slugChanged(Handle h, UUID orgId, ProjectView project, String oldSlug) {
    for (ServiceView service : services.inProject(h, orgId, project.id())) {
      stop(h, orgId, service.serverId(), oldSlug, service.name());
    }
  }

  @Override
  public int stopWorkloads(Handle h, UUID orgId, UUID serverId) {
    int queued = 0;
    for (ServiceView service : services.onServer(h, orgId, serverId)) {
      String slug = projects.require(h, orgId, service.projectId()).slug();
      queued += stop(h, orgId, serverId, slug, service.name());
    }
    services.detachFromServer(h, orgId, serverId);
    return queued;
  }

  /** Queues a stop of {@code projectSlug/serviceName} on the server; returns 1 if it did. */
  private int stop(
      Handle h, UUID orgId, @Nullable UUID serverId, String projectSlug, String serviceName) {
    if (serverId == null || !fleet.hasAgent(h, orgId, serverId)) {
      return 0;
    }
    commands.enqueue(
        h,
        orgId,
        serverId,
        null,
        new StopCommand(RuntimeNames.serviceRef(orgId, projectSlug, serviceName)));
    h.afterCommit(() -> commands.wake(serverId));
    return 1;
  }
}
