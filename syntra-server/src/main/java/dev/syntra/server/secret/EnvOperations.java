package dev.syntra.server.secret;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.FieldError;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.api.Page;
import dev.syntra.server.audit.AuditLog;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.auth.Role;
import dev.syntra.server.db.Tenancy;
import dev.syntra.server.event.Events;
import dev.syntra.server.project.Projects;
import dev.syntra.server.service.ServiceView;
import dev.syntra.server.service.Services;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The env var operations behind {@link EnvController}, one transaction each. Order as everywhere:
 * find the scope (404 for missing or another organization's), check the permission, read the body,
 * change, audit, emit {@code env.updated}. Audit entries and events name keys, never values.
 */
@Component
class EnvOperations {
  /** Finds the scope a path id names, or throws 404. */
  @FunctionalInterface
  interface Lookup {
    EnvScope find(Handle h, UUID orgId, UUID id);
  }

  /**
   * What a GET answers: the variables as views, and as a map for dotenv (values empty when masked).
   */
  record Listing(List<EnvVarView> vars, Map<String, String> values, boolean revealed) {}

  final Lookup services;
  final Lookup projects;
  private final Tenancy tenancy;
  private final Projects projectRows;
  private final EnvVars envVars;
  private final Clock clock;
  private final Events events;

  EnvOperations(
      Tenancy tenancy,
      Projects projects,
      Services services,
      EnvVars envVars,
      Clock clock,
      Events events) {
    this.events = events;
    this.tenancy = tenancy;
    this.projectRows = projects;
    this.envVars = envVars;
    this.clock = clock;
    this.services =
        (h, orgId, id) -> {
          ServiceView service = services.require(h, orgId, id);
          return EnvScope.service(service.id(), service.projectId());
        };
    this.projects = (h, orgId, id) -> EnvScope.project(projects.require(h, orgId, id).id());
  }

  /**
   * The variables of a scope, masked; with {@code reveal}, in plaintext for an admin (audited as
   * {@code env.revealed}) and 403 for anyone else.
   *
   * @param format recorded in the audit entry of a reveal
   */
  Listing list(Caller caller, Lookup lookup, UUID id, boolean reveal, String format) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          EnvScope scope = lookup.find(h, caller.orgId(), id);
          if (reveal) {
            caller.require(Permission.ADMIN, roleOverride(h, caller, scope));
          }
          List<EnvVarView> views = new ArrayList<>();
          Map<String, String> values = new LinkedHashMap<>();
          for (EnvVars.Stored row : envVars.stored(h, caller.orgId(), scope)) {
            String value = reveal ? envVars.open(caller.orgId(), scope, row) : EnvVarView.MASK;
            views.add(new EnvVarView(row.key(), value, !reveal, row.updatedAt()));
            values.put(row.key(), reveal ? value : "");
          }
          if (reveal) {
            AuditLog.record(
                h,
                caller,
                "env.revealed",
                scope.kind().wireName(),
                scope.id(),
                Map.of("keys", List.copyOf(values.keySet()), "format", format));
          }
          return new Listing(views, values, reveal);
        });
  }

  /**
   * PUT with {@code {"vars": {...}, "replace": false}}. The caller must hold {@code permission} in
   * the scope's project, checked after the lookup (404 before 403); the same for the writes below.
   */
  Page<EnvVarView> putJson(
      Caller caller, Permission permission, Lookup lookup, UUID id, @Nullable JsonNode json) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          EnvScope scope = lookup.find(h, caller.orgId(), id);
          caller.require(permission, roleOverride(h, caller, scope));
          JsonBody body = JsonBody.of(json);
          Map<String, String> vars = body.stringMap("vars", true, EnvRules.MAX_VARS);
          Boolean replace = body.bool("replace", false);
          if (vars != null) {
            vars.forEach((key, value) -> {
              String problem = EnvRules.problem(key, value);
              if (problem != null) {
                body.reject("vars." + key, problem);
              }
            });
          }
          body.validate();
          return write(h, caller, scope, vars, Boolean.TRUE.equals(replace), "$.vars");
        });
  }

  /** PUT with a dotenv document (UTF-8); errors name their line. */
  Page<EnvVarView> putDotenv(
      Caller caller,
      Permission permission,
      Lookup lookup,
      UUID id,
      byte @Nullable [] body,
      boolean replace) {
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          EnvScope scope = lookup.find(h, caller.orgId(), id);
          caller.require(permission, roleOverride(h, caller, scope));
          return write(h, caller, scope, readDotenv(body), replace, "$");
        });
  }

  void delete(Caller caller, Permission permission, Lookup lookup, UUID id, String key) {
    tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          EnvScope scope = lookup.find(h, caller.orgId(), id);
          caller.require(permission, roleOverride(h, caller, scope));
          if (!envVars.delete(h, caller.orgId(), scope, key)) {
            throw ApiException.notFound("env var");
          }
          changed(h, caller, scope, new EnvVars.Change(List.of(key), List.of(key)));
          return null;
        });
  }

  /** The resolved environment of a service, for an admin; audited as {@code env.revealed}. */
  Map<String, String> resolved(Caller caller, UUID serviceId) {
    caller.require(Permission.READ);
    return tenancy.inOrg(
        caller.orgId(),
        caller.userId(),
        h -> {
          EnvScope scope = services.find(h, caller.orgId(), serviceId);
          caller.require(Permission.ADMIN, roleOverride(h, caller, scope));
          Map<String, String> env = envVars.resolveForDeploy(h, caller.orgId(), serviceId);
          AuditLog.record(
              h,
              caller,
              "env.revealed",
              "service",
              serviceId,
              Map.of("keys", List.copyOf(env.keySet()), "resolved", true));
          return env;
        });
  }

  private Page<EnvVarView> write(
      Handle h,
      Caller caller,
      EnvScope scope,
      @Nullable Map<String, String> vars,
      boolean replace,
      String countPath) {
    EnvVars.Change change =
        envVars.apply(
            h,
            caller.orgId(),
            caller.userId(),
            scope,
            vars == null ? Map.of() : vars,
            replace,
            countPath);
    if (!change.keys().isEmpty()) {
      changed(h, caller, scope, change);
    }
    List<EnvVarView> views = new ArrayList<>();
    for (EnvVars.Stored row : envVars.stored(h, caller.orgId(), scope)) {
      views.add(new EnvVarView(row.key(), EnvVarView.MASK, true, row.updatedAt()));
    }
    return new Page<>(views, null);
  }

  private void changed(Handle h, Caller caller, EnvScope scope, EnvVars.Change change) {
    String kind = scope.kind().wireName();
    AuditLog.record(
        h,
        caller,
        "env.updated",
        kind,
        scope.id(),
        Map.of("keys", change.keys(), "removed", change.removed()));
    events.emit(
        h,
        caller.orgId(),
        "env.updated",
        Map.of(
            "scope",
            kind,
            "id",
            scope.id().toString(),
            "project_id",
            scope.projectId().toString(),
            "keys",
            change.keys()),
        clock.instant());
  }

  private @Nullable Role roleOverride(Handle h, Caller caller, EnvScope scope) {
    return projectRows.roleOverride(h, scope.projectId(), caller.userId());
  }

  /** Decodes and parses a dotenv body; every problem is reported with its line. */
  private static Map<String, String> readDotenv(byte @Nullable [] body) {
    String document;
    try {
      document =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body == null ? new byte[0] : body))
              .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.invalid("$", "a dotenv document must be UTF-8");
    }
    List<Dotenv.Entry> entries;
    try {
      entries = Dotenv.parse(document);
    } catch (Dotenv.SyntaxException e) {
      throw ApiException.invalid("line " + e.line(), e.problem());
    }
    Map<String, String> vars = new LinkedHashMap<>();
    List<FieldError> errors = new ArrayList<>();
    for (Dotenv.Entry entry : entries) {
      String problem = EnvRules.problem(entry.key(), entry.value());
      if (problem != null) {
        errors.add(new FieldError("line " + entry.line(), entry.key() + ": " + problem));
      }
      vars.put(entry.key(), entry.value());
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    if (vars.size() > EnvRules.MAX_VARS) {
      throw ApiException.invalid("$", EnvRules.tooMany(vars.size()));
    }
    return vars;
  }
}
