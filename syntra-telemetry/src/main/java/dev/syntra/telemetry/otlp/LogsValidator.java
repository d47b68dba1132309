package dev.syntra.telemetry.otlp;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import org.jspecify.annotations.Nullable;

/** {@link OtlpValidation#logs}: one pass to check, a second to copy only when something failed. */
final class LogsValidator {
  private LogsValidator() {}

  static OtlpValidation.Result<LogsData> validate(LogsData data) {
    ValidationProblems problems = new ValidationProblems();
    long total = 0;
    for (int r = 0; r < data.getResourceLogsCount(); r++) {
      ResourceLogs rl = data.getResourceLogs(r);
      String resourceProblem =
          ValidationProblems.attributes(
              rl.getResource().getAttributesList(), "resource.attributes");
      for (int s = 0; s < rl.getScopeLogsCount(); s++) {
        ScopeLogs sl = rl.getScopeLogs(s);
        total += sl.getLogRecordsCount();
        String prefix = "resourceLogs[" + r + "]";
        if (resourceProblem != null) {
          problems.add(sl.getLogRecordsCount(), prefix + "." + resourceProblem);
          continue;
        }
        String scopeProblem =
            ValidationProblems.attributes(sl.getScope().getAttributesList(), "scope.attributes");
        if (scopeProblem != null) {
          problems.add(sl.getLogRecordsCount(), prefix + ".scopeLogs[" + s + "]." + scopeProblem);
          continue;
        }
        for (int i = 0; i < sl.getLogRecordsCount(); i++) {
          String problem = problem(sl.getLogRecords(i));
          if (problem != null) {
            problems.add(1, prefix + ".scopeLogs[" + s + "].logRecords[" + i + "]." + problem);
          }
        }
      }
    }
    if (problems.invalid() == 0) {
      return new OtlpValidation.Result<>(data, total, 0, null);
    }
    return new OtlpValidation.Result<>(
        validOnly(data), total - problems.invalid(), problems.invalid(), problems.message());
  }

  private static LogsData validOnly(LogsData data) {
    LogsData.Builder out = LogsData.newBuilder();
    for (ResourceLogs rl : data.getResourceLogsList()) {
      if (ValidationProblems.attributes(rl.getResource().getAttributesList(), "") != null) {
        continue;
      }
      ResourceLogs.Builder rb = rl.toBuilder().clearScopeLogs();
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        if (ValidationProblems.attributes(sl.getScope().getAttributesList(), "") != null) {
          continue;
        }
        ScopeLogs.Builder sb = sl.toBuilder().clearLogRecords();
        for (LogRecord record : sl.getLogRecordsList()) {
          if (problem(record) == null) {
            sb.addLogRecords(record);
          }
        }
        if (sb.getLogRecordsCount() > 0) {
          rb.addScopeLogs(sb);
        }
      }
      if (rb.getScopeLogsCount() > 0) {
        out.addResourceLogs(rb);
      }
    }
    return out.build();
  }

  static @Nullable String problem(LogRecord record) {
    if (!IdChecks.validOptionalTraceId(record.getTraceId())) {
      return "traceId: " + IdChecks.OPTIONAL_TRACE_ID;
    }
    if (!IdChecks.validOptionalSpanId(record.getSpanId())) {
      return "spanId: " + IdChecks.OPTIONAL_SPAN_ID;
    }
    if (ValidationProblems.tooDeep(record.getBody(), 1)) {
      return "body: " + ValidationProblems.deepMessage();
    }
    return ValidationProblems.attributes(record.getAttributesList(), "attributes");
  }
}
