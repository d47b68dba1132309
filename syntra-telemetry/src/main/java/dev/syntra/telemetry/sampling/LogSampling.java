package dev.syntra.telemetry.sampling;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.util.ArrayList;
import java.util.List;

/**
 * Rate-limits the log records of one request per service; records with severity ERROR or above
 * (severity number ≥ 17, or no number and a text of ERROR, FATAL or CRITICAL) are priority and
 * always kept. Reuses the original messages where nothing was dropped. Not thread-safe.
 */
final class LogSampling {
  private static final int DROP = -1;
  private static final int NORMAL = 0;
  private static final int PRIORITY = 1;

  private final ServiceLimits services;
  private int[] decisions = new int[256];

  LogSampling(ServiceLimits services) {
    this.services = services;
  }

  record Result(
      LogsData normal, LogsData priority, long normalLogs, long priorityLogs, long rateLimited) {}

  static boolean isError(LogRecord log) {
    int severity = log.getSeverityNumberValue();
    if (severity >= SeverityNumber.SEVERITY_NUMBER_ERROR_VALUE) {
      return true;
    }
    if (severity != 0 || log.getSeverityText().isEmpty()) {
      return false;
    }
    String text = log.getSeverityText();
    return text.equalsIgnoreCase("ERROR")
        || text.equalsIgnoreCase("FATAL")
        || text.equalsIgnoreCase("CRITICAL");
  }

  Result split(LogsData logs, long nowMillis) {
    List<ResourceLogs> normalOut = new ArrayList<>(logs.getResourceLogsCount());
    List<ResourceLogs> priorityOut = new ArrayList<>(0);
    boolean allNormal = true;
    long normalCount = 0;
    long priorityCount = 0;
    long dropped = 0;
    for (ResourceLogs rl : logs.getResourceLogsList()) {
      ServiceState service = services.forResource(rl.getResource(), nowMillis);
      List<ScopeLogs> normalScopes = new ArrayList<>(rl.getScopeLogsCount());
      List<ScopeLogs> priorityScopes = new ArrayList<>(0);
      boolean resourceAllNormal = true;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        int n = sl.getLogRecordsCount();
        if (decisions.length < n) {
          decisions = new int[Math.max(n, decisions.length * 2)];
        }
        int normals = 0;
        int priorities = 0;
        for (int i = 0; i < n; i++) {
          LogRecord log = sl.getLogRecords(i);
          int decision = isError(log) ? PRIORITY : service.tryLogLine(nowMillis) ? NORMAL : DROP;
          decisions[i] = decision;
          if (decision == NORMAL) {
            normals++;
          } else if (decision == PRIORITY) {
            priorities++;
          }
        }
        normalCount += normals;
        priorityCount += priorities;
        dropped += n - normals - priorities;
        if (normals == n) {
          normalScopes.add(sl);
        } else {
          resourceAllNormal = false;
          if (normals > 0) {
            normalScopes.add(filter(sl, n, NORMAL));
          }
        }
        if (priorities > 0) {
          priorityScopes.add(filter(sl, n, PRIORITY));
        }
      }
      if (resourceAllNormal) {
        normalOut.add(rl);
      } else {
        allNormal = false;
        if (!normalScopes.isEmpty()) {
          normalOut.add(withScopes(rl, normalScopes));
        }
      }
      if (!priorityScopes.isEmpty()) {
        priorityOut.add(withScopes(rl, priorityScopes));
      }
    }
    LogsData normal =
        allNormal ? logs : LogsData.newBuilder().addAllResourceLogs(normalOut).build();
    LogsData priority =
        priorityOut.isEmpty()
            ? LogsData.getDefaultInstance()
            : LogsData.newBuilder().addAllResourceLogs(priorityOut).build();
    return new Result(normal, priority, normalCount, priorityCount, dropped);
  }

  private ScopeLogs filter(ScopeLogs sl, int n, int wanted) {
    ScopeLogs.Builder out =
        ScopeLogs.newBuilder().setScope(sl.getScope()).setSchemaUrl(sl.getSchemaUrl());
    for (int i = 0; i < n; i++) {
      if (decisions[i] == wanted) {
        out.addLogRecords(sl.getLogRecords(i));
      }
    }
    return out.build();
  }

  private static ResourceLogs withScopes(ResourceLogs rl, List<ScopeLogs> scopes) {
    return ResourceLogs.newBuilder()
        .setResource(rl.getResource())
        .setSchemaUrl(rl.getSchemaUrl())
        .addAllScopeLogs(scopes)
        .build();
  }
}
