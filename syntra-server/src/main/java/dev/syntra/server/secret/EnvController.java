package dev.syntra.server.secret;

import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.Page;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Env vars of services and projects (issue "Env vars per service and per project"):
 *
 * <ul>
 *   <li>{@code GET …/env} (READ): masked; {@code ?reveal=true} (ADMIN, audited) shows values;
 *       {@code ?format=dotenv} answers {@code text/plain}.
 *   <li>{@code PUT …/env} (WRITE): {@code {"vars": {...}, "replace": false}} as JSON, or a dotenv
 *       document as {@code text/plain} (with {@code ?replace=true} to replace).
 *   <li>{@code DELETE …/env/{key}} (WRITE).
 *   <li>{@code GET /services/{id}/env/resolved} (ADMIN, audited): the environment a deployment
 *       gets, references resolved.
 * </ul>
 *
 * A project role override applies to WRITE and ADMIN. Responses carrying plaintext are {@code
 * Cache-Control: no-store}.
 */
@RestController
class EnvController {
  private static final MediaType DOTENV = new MediaType("text", "plain", StandardCharsets.UTF_8);
  private static final String MASKED_HEADER =
      "# Values are masked: an admin token can export them with ?format=dotenv&reveal=true.\n"
          + "# Importing this file as it is would set every variable to an empty value.\n";

  private final EnvOperations env;

  EnvController(EnvOperations env) {
    this.env = env;
  }

  @GetMapping("/api/v1/services/{id}/env")
  ResponseEntity<?> serviceEnv(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable Boolean reveal,
      @RequestParam(required = false) @Nullable String format) {
    return list(caller, env.services, id, reveal, format);
  }

  @GetMapping("/api/v1/projects/{id}/env")
  ResponseEntity<?> projectEnv(
      Caller caller,
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable Boolean reveal,
      @RequestParam(required = false) @Nullable String format) {
    return list(caller, env.projects, id, reveal, format);
  }

  @PutMapping(path = "/api/v1/services/{id}/env", consumes = MediaType.APPLICATION_JSON_VALUE)
  Page<EnvVarView> putServiceEnv(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable JsonNode json,
      @RequestParam(required = false) @Nullable String replace) {
    refuseReplaceParameter(replace);
    return env.putJson(caller, Permission.WRITE, env.services, id, json);
  }

  @PutMapping(path = "/api/v1/projects/{id}/env", consumes = MediaType.APPLICATION_JSON_VALUE)
  Page<EnvVarView> putProjectEnv(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) @Nullable JsonNode json,
      @RequestParam(required = false) @Nullable String replace) {
    refuseReplaceParameter(replace);
    return env.putJson(caller, Permission.WRITE, env.projects, id, json);
  }

  @PutMapping(path = "/api/v1/services/{id}/env", consumes = MediaType.TEXT_PLAIN_VALUE)
  Page<EnvVarView> importServiceEnv(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) byte @Nullable [] body,
      @RequestParam(defaultValue = "false") boolean replace) {
    return env.putDotenv(caller, Permission.WRITE, env.services, id, body, replace);
  }

  @PutMapping(path = "/api/v1/projects/{id}/env", consumes = MediaType.TEXT_PLAIN_VALUE)
  Page<EnvVarView> importProjectEnv(
      Caller caller,
      @PathVariable UUID id,
      @RequestBody(required = false) byte @Nullable [] body,
      @RequestParam(defaultValue = "false") boolean replace) {
    return env.putDotenv(caller, Permission.WRITE, env.projects, id, body, replace);
  }

  @DeleteMapping("/api/v1/services/{id}/env/{key}")
  ResponseEntity<Void> deleteServiceVar(
      Caller caller, @PathVariable UUID id, @PathVariable String key) {
    env.delete(caller, Permission.WRITE, env.services, id, key);
    return ResponseEntity.noContent().build();
  }

  @DeleteMapping("/api/v1/projects/{id}/env/{key}")
  ResponseEntity<Void> deleteProjectVar(
      Caller caller, @PathVariable UUID id, @PathVariable String key) {
    env.delete(caller, Permission.WRITE, env.projects, id, key);
    return ResponseEntity.noContent().build();
  }

  /** The environment a deployment of the service gets: {@code {"vars": {...}}}. */
  @GetMapping("/api/v1/services/{id}/env/resolved")
  ResponseEntity<Map<String, Map<String, String>>> resolvedServiceEnv(
      Caller caller, @PathVariable UUID id) {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(Map.of("vars", env.resolved(caller, id)));
  }

  private ResponseEntity<?> list(
      Caller caller,
      EnvOperations.Lookup lookup,
      UUID id,
      @Nullable Boolean reveal,
      @Nullable String format) {
    boolean dotenv = "dotenv".equals(format);
    if (format != null && !dotenv && !format.equals("json")) {
      throw ApiException.invalid("format", "must be json or dotenv");
    }
    EnvOperations.Listing listing =
        env.list(caller, lookup, id, Boolean.TRUE.equals(reveal), dotenv ? "dotenv" : "json");
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
    if (listing.revealed()) {
      ok.cacheControl(CacheControl.noStore());
    }
    if (!dotenv) {
      return ok.body(new Page<>(listing.vars(), null));
    }
    String document = Dotenv.write(listing.values());
    return ok.contentType(DOTENV).body(listing.revealed() ? document : MASKED_HEADER + document);
  }

  private static void refuseReplaceParameter(@Nullable String replace) {
    if (replace != null) {
      throw ApiException.invalid(
          "replace", "is a query parameter of dotenv imports only; JSON bodies carry \"replace\"");
    }
  }
}
