package dev.syntra.server.audit;

import dev.syntra.server.api.Page;
import dev.syntra.server.auth.Caller;
import dev.syntra.server.auth.Permission;
import dev.syntra.server.db.Tenancy;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The organization's audit log, for admins (spec §13.3: searchable, exportable). Both endpoints
 * take the filters of {@link AuditFilter} and return entries oldest first: the list a page at a
 * time, the export as JSON lines ({@code application/x-ndjson}), every matching entry up to the
 * newest one when the export started, read and written in batches so memory stays flat.
 */
@RestController
@RequestMapping("/api/v1/audit-log")
class AuditController {
  /** Entries read per transaction while exporting. */
  static final int EXPORT_BATCH = 500;

  private static final UUID START = new UUID(0, 0);

  private final Tenancy tenancy;
  private final AuditEntries entries;
  private final JsonMapper json;

  AuditController(Tenancy tenancy, AuditEntries entries, JsonMapper json) {
    this.tenancy = tenancy;
    this.entries = entries;
    this.json = json;
  }

  @GetMapping
  Page<AuditEntry> list(
      Caller caller,
      @RequestParam(required = false) @Nullable String action,
      @RequestParam(name = "target_type", required = false) @Nullable String targetType,
      @RequestParam(name = "target_id", required = false) @Nullable String targetId,
      @RequestParam(name = "actor_user_id", required = false) @Nullable String actorUserId,
      @RequestParam(required = false) @Nullable String since,
      @RequestParam(required = false) @Nullable String until,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    caller.require(Permission.ADMIN);
    AuditFilter filter = AuditFilter.of(action, targetType, targetId, actorUserId, since, until);
    Page.Request page = Page.Request.of(limit, cursor);
    List<AuditEntry> rows =
        tenancy.inOrg(
            caller.orgId(),
            caller.userId(),
            h ->
                entries.list(
                    h, caller.orgId(), filter, page.afterOrStart(), null, page.fetchSize()));
    return Page.of(rows, page, AuditEntry::id);
  }

  @GetMapping("/export")
  void export(
      Caller caller,
      @RequestParam(required = false) @Nullable String action,
      @RequestParam(name = "target_type", required = false) @Nullable String targetType,
      @RequestParam(name = "target_id", required = false) @Nullable String targetId,
      @RequestParam(name = "actor_user_id", required = false) @Nullable String actorUserId,
      @RequestParam(required = false) @Nullable String since,
      @RequestParam(required = false) @Nullable String until,
      HttpServletResponse response)
      throws IOException {
    caller.require(Permission.ADMIN);
    AuditFilter filter = AuditFilter.of(action, targetType, targetId, actorUserId, since, until);
    UUID newest =
        tenancy.inOrg(
            caller.orgId(), caller.userId(), h -> entries.newestId(h, caller.orgId()).orElse(null));
    response.setContentType("application/x-ndjson");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"audit-log.ndjson\"");
    OutputStream out = response.getOutputStream();
    UUID after = START;
    while (newest != null) {
      UUID from = after;
      List<AuditEntry> batch =
          tenancy.inOrg(
              caller.orgId(),
              caller.userId(),
              h -> entries.list(h, caller.orgId(), filter, from, newest, EXPORT_BATCH));
      try {
        for (AuditEntry entry : batch) {
          out.write(json.writeValueAsBytes(entry));
          out.write('\n');
        }
        out.flush();
      } catch (IOException clientGone) {
        return; // the client stopped reading; nothing to answer on a committed stream
      }
      if (batch.size() < EXPORT_BATCH) {
        break;
      }
      after = batch.getLast().id();
    }
  }
}
