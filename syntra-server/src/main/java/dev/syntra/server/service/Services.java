package dev.syntra.server.service;

import dev.syntra.protocol.runtime.ImageReference;
import dev.syntra.protocol.runtime.SecurityOptions;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Service rows. Every query names the organization, and RLS enforces it again. */
@Component
public class Services {
  /** A service as its siblings in the project see it. */
  public record Sibling(UUID id, String name, String internalDns) {}

  private static final String COLUMNS =
      "id, project_id, server_id, name, type, source_type, image_name, image_tag, dockerfile_path,"
          + " build_context, port, publish_host_ip, publish_host_port, replicas, cpu_millis,"
          + " memory_bytes, domains, health_check_path, health_check_interval_ms,"
          + " health_check_timeout_ms, health_check_retries, auto_deploy, internal_dns, created_at,"
          + " updated_at, security_no_new_privileges, security_cap_drop, security_cap_add";

  public ServiceView require(Handle h, UUID orgId, UUID id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM services WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .map((rs, ctx) -> read(rs))
        .findOne()
        .orElseThrow(() -> ApiException.notFound("service"));
  }

  List<ServiceView> list(Handle h, UUID orgId, UUID projectId, Page.Request page) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM services WHERE org_id = :org AND project_id = :project"
                + " AND id > :after ORDER BY id LIMIT :limit")
        .bind("org", orgId)
        .bind("project", projectId)
        .bind("after", page.afterOrStart())
        .bind("limit", page.fetchSize())
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /** Every service of the project (for stopping them all), in id order. */
  public List<ServiceView> inProject(Handle h, UUID orgId, UUID projectId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM services WHERE org_id = :org AND project_id = :project ORDER BY id")
        .bind("org", orgId)
        .bind("project", projectId)
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /** Every service assigned to the server, in id order. */
  public List<ServiceView> onServer(Handle h, UUID orgId, UUID serverId) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM services WHERE org_id = :org AND server_id = :server"
                + " ORDER BY id")
        .bind("org", orgId)
        .bind("server", serverId)
        .map((rs, ctx) -> read(rs))
        .list();
  }

  /** Unassigns every service of the server (they deploy nowhere until given another one). */
  public void detachFromServer(Handle h, UUID orgId, UUID serverId) {
    h.createUpdate(
            "UPDATE services SET server_id = NULL, updated_at = now()"
                + " WHERE org_id = :org AND server_id = :server")
        .bind("org", orgId)
        .bind("server", serverId)
        .execute();
  }

  boolean nameTaken(Handle h, UUID projectId, String name, @Nullable UUID except) {
    return h.createQuery(
                "SELECT count(*) FROM services WHERE project_id = :project AND name = :name"
                    + " AND id IS DISTINCT FROM :except")
            .bind("project", projectId)
            .bind("name", name)
            .bind("except", except)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  /** Sets the service's configured replica count (a scale command changes it too). */
  public void setReplicas(Handle h, UUID orgId, UUID serviceId, int replicas) {
    h.createUpdate(
            "UPDATE services SET replicas = :replicas, updated_at = now()"
                + " WHERE org_id = :org AND id = :id")
        .bind("replicas", replicas)
        .bind("org", orgId)
        .bind("id", serviceId)
        .execute();
  }

  /** The services of a project, by name. */
  public List<Sibling> siblings(Handle h, UUID orgId, UUID projectId) {
    return h.createQuery(
            "SELECT id, name, internal_dns FROM services WHERE org_id = :org AND project_id = :project")
        .bind("org", orgId)
        .bind("project", projectId)
        .map((rs, ctx) ->
            new Sibling(
                rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("internal_dns")))
        .list();
  }

  ServiceView insert(
      Handle h, UUID id, UUID orgId, UUID projectId, String projectSlug, ServiceConfig c) {
    var insert =
        h.createUpdate(
            "INSERT INTO services (id, org_id, project_id, internal_dns, name, type, source_type,"
                + " image_name, image_tag, dockerfile_path, build_context, server_id, port,"
                + " publish_host_ip, publish_host_port, replicas, cpu_millis, memory_bytes, domains,"
                + " health_check_path, health_check_interval_ms, health_check_timeout_ms,"
                + " health_check_retries, auto_deploy, security_no_new_privileges,"
                + " security_cap_drop, security_cap_add) VALUES (:id, :org, :project, :dns, :name,"
                + " :type, :source_type, :image_name, :image_tag, :dockerfile_path,"
                + " :build_context, :server_id, :port, :publish_host_ip, :publish_host_port,"
                + " :replicas, :cpu_millis, :memory_bytes, :domains, :health_check_path,"
                + " :health_check_interval_ms, :health_check_timeout_ms, :health_check_retries,"
                + " :auto_deploy, :security_no_new_privileges, :security_cap_drop,"
                + " :security_cap_add)");
    bindConfig(insert, c)
        .bind("id", id)
        .bind("org", orgId)
        .bind("project", projectId)
        .bind("dns", dnsName(c.name(), projectSlug))
        .execute();
    return require(h, orgId, id);
  }

  ServiceView update(Handle h, UUID orgId, UUID id, String projectSlug, ServiceConfig c) {
    var update =
        h.createUpdate(
            "UPDATE services SET internal_dns = :dns, name = :name, type = :type,"
                + " source_type = :source_type, image_name = :image_name, image_tag = :image_tag,"
                + " dockerfile_path = :dockerfile_path, build_context = :build_context,"
                + " server_id = :server_id, port = :port, publish_host_ip = :publish_host_ip,"
                + " publish_host_port = :publish_host_port, replicas = :replicas,"
                + " cpu_millis = :cpu_millis, memory_bytes = :memory_bytes, domains = :domains,"
                + " health_check_path = :health_check_path,"
                + " health_check_interval_ms = :health_check_interval_ms,"
                + " health_check_timeout_ms = :health_check_timeout_ms,"
                + " health_check_retries = :health_check_retries, auto_deploy = :auto_deploy,"
                + " security_no_new_privileges = :security_no_new_privileges,"
                + " security_cap_drop = :security_cap_drop, security_cap_add = :security_cap_add,"
                + " updated_at = now() WHERE org_id = :org AND id = :id");
    bindConfig(update, c)
        .bind("dns", dnsName(c.name(), projectSlug))
        .bind("org", orgId)
        .bind("id", id)
        .execute();
    return require(h, orgId, id);
  }

  void delete(Handle h, UUID orgId, UUID id) {
    h.createUpdate("DELETE FROM services WHERE org_id = :org AND id = :id")
        .bind("org", orgId)
        .bind("id", id)
        .execute();
  }

  /** {@code service.project.internal}, the name the runtime gives the service on its network. */
  static String dnsName(String service, String projectSlug) {
    return service + "." + projectSlug + ".internal";
  }

  /** The config held by a stored service, to apply a patch over. */
  static ServiceConfig configOf(ServiceView s) {
    ServiceView.HealthCheck check = s.healthCheck();
    return new ServiceConfig(
        s.name(),
        s.type(),
        s.sourceType(),
        s.image(),
        s.dockerfilePath(),
        s.buildContext(),
        s.serverId(),
        s.port(),
        s.publish() == null ? null : s.publish().hostIp(),
        s.publish() == null ? null : s.publish().hostPort(),
        s.replicas(),
        s.cpuMillis(),
        s.memoryBytes(),
        s.domains(),
        check == null ? null : check.path(),
        check == null ? 5000 : check.intervalMs(),
        check == null ? 3000 : check.timeoutMs(),
        check == null ? 3 : check.retries(),
        s.autoDeploy(),
        s.security());
  }

  private static <S extends SqlStatement<S>> S bindConfig(S statement, ServiceConfig c) {
    ImageReference image = c.image() == null ? null : ImageReference.parse(c.image());
    // The defaults are stored as NULLs, so services follow the code's defaults as they evolve.
    SecurityOptions security = c.security().equals(SecurityOptions.DEFAULTS) ? null : c.security();
    return statement
        .bind("security_no_new_privileges", security == null ? null : security.noNewPrivileges())
        .bind(
            "security_cap_drop",
            security == null ? null : security.capDrop().toArray(String[]::new))
        .bind(
            "security_cap_add", security == null ? null : security.capAdd().toArray(String[]::new))
        .bind("name", c.name())
        .bind("type", c.type())
        .bind("source_type", c.sourceType())
        .bind("image_name", image == null ? null : withoutTag(image))
        .bind("image_tag", image == null ? null : image.tag())
        .bind("dockerfile_path", c.dockerfilePath())
        .bind("build_context", c.buildContext())
        .bind("server_id", c.serverId())
        .bind("port", c.port())
        .bind("publish_host_ip", c.publishHostIp())
        .bind("publish_host_port", c.publishHostPort())
        .bind("replicas", c.replicas())
        .bind("cpu_millis", c.cpuMillis())
        .bind("memory_bytes", c.memoryBytes())
        .bind("domains", c.domains().toArray(String[]::new))
        .bind("health_check_path", c.healthCheckPath())
        .bind("health_check_interval_ms", c.healthCheckIntervalMs())
        .bind("health_check_timeout_ms", c.healthCheckTimeoutMs())
        .bind("health_check_retries", c.healthCheckRetries())
        .bind("auto_deploy", c.autoDeploy());
  }

  /** The image name with its digest but without its tag: image_name and image_tag are apart. */
  private static String withoutTag(ImageReference image) {
    return image.name() + (image.digest() == null ? "" : "@" + image.digest());
  }

  private static String withTag(String nameAndDigest, String tag) {
    int at = nameAndDigest.indexOf('@');
    return at < 0
        ? nameAndDigest + ":" + tag
        : nameAndDigest.substring(0, at) + ":" + tag + nameAndDigest.substring(at);
  }

  private static SecurityOptions security(ResultSet rs) throws SQLException {
    Object noNewPrivileges = rs.getObject("security_no_new_privileges");
    if (noNewPrivileges == null) {
      return SecurityOptions.DEFAULTS;
    }
    return new SecurityOptions(
        (Boolean) noNewPrivileges,
        Arrays.asList((String[]) rs.getArray("security_cap_drop").getArray()),
        Arrays.asList((String[]) rs.getArray("security_cap_add").getArray()));
  }

  private static ServiceView read(ResultSet rs) throws SQLException {
    String imageName = rs.getString("image_name");
    String imageTag = rs.getString("image_tag");
    Integer port = (Integer) rs.getObject("port");
    Integer hostPort = (Integer) rs.getObject("publish_host_port");
    String checkPath = rs.getString("health_check_path");
    return new ServiceView(
        rs.getObject("id", UUID.class),
        rs.getObject("project_id", UUID.class),
        rs.getObject("server_id", UUID.class),
        rs.getString("name"),
        rs.getString("type"),
        rs.getString("source_type"),
        imageName == null ? null : imageTag == null ? imageName : withTag(imageName, imageTag),
        rs.getString("dockerfile_path"),
        rs.getString("build_context"),
        port,
        hostPort == null
            ? null
            : new ServiceView.Publish(rs.getString("publish_host_ip"), hostPort),
        rs.getInt("replicas"),
        rs.getLong("cpu_millis"),
        rs.getLong("memory_bytes"),
        Arrays.asList((String[]) rs.getArray("domains").getArray()),
        checkPath == null
            ? null
            : new ServiceView.HealthCheck(
                checkPath,
                rs.getInt("health_check_interval_ms"),
                rs.getInt("health_check_timeout_ms"),
                rs.getInt("health_check_retries")),
        rs.getBoolean("auto_deploy"),
        security(rs),
        rs.getString("internal_dns"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
