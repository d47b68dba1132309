package dev.syntra.telemetry.prometheus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses the Prometheus text exposition format 0.0.4 with the UTF-8 name scheme of newer Prometheus
 * versions ({@code {"name.with.dots","label.name"="v"} 1}) into metric families.
 *
 * <p>Semantics follow the reference parser ({@code prometheus/common} {@code expfmt}): samples of
 * one summary or histogram series (same name and labels apart from {@code quantile}/{@code le})
 * merge into one point wherever they appear; {@code _sum}, {@code _count} and {@code _bucket}
 * belong to a summary or histogram only when that family was declared first; HELP/TYPE appear at
 * most once per family and TYPE not after its samples; families without samples are dropped; the
 * last line must end with a newline. Errors carry the line number; see {@link
 * PrometheusParseException}.
 *
 * <p>Bounded by {@link ParserLimits}. Immutable and thread-safe.
 */
public final class PrometheusTextParser {
  private static final PrometheusTextParser DEFAULT =
      new PrometheusTextParser(ParserLimits.DEFAULT);

  private final ParserLimits limits;

  public PrometheusTextParser(ParserLimits limits) {
    this.limits = limits;
  }

  /** A parser with {@link ParserLimits#DEFAULT}. */
  public static PrometheusTextParser create() {
    return DEFAULT;
  }

  /** Parses UTF-8 exposition text. */
  public List<MetricFamily> parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses {@code body} (UTF-8 exposition text) into its families, in order of first appearance.
   *
   * @throws PrometheusParseException when the text is invalid or exceeds a limit
   */
  public List<MetricFamily> parse(byte[] body) {
    FamilyAssembler families = new FamilyAssembler(limits);
    int start = 0;
    int lineNumber = 0;
    while (start < body.length) {
      lineNumber++;
      int newline = indexOf(body, (byte) '\n', start);
      int end = newline < 0 ? body.length : newline;
      if (end - start > limits.maxLineBytes()) {
        throw new PrometheusParseException(
            lineNumber, "line longer than " + limits.maxLineBytes() + " bytes");
      }
      LineCursor line = new LineCursor(body, start, end, lineNumber);
      line.skipBlanks();
      if (!line.atEnd()) {
        if (line.peek() == '#') {
          line.advance();
          comment(line, families);
        } else {
          sample(line, families);
        }
        if (newline < 0) {
          throw line.error("unexpected end of input stream (the last line has no newline)");
        }
      }
      start = end + 1;
    }
    return families.build();
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** A {@code #} line: HELP and TYPE are read, anything else is a comment. */
  private static void comment(LineCursor line, FamilyAssembler families) {
    line.skipBlanks();
    String keyword = line.token();
    if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
      return;
    }
    line.skipBlanks();
    if (line.atEnd()) {
      return;
    }
    String name = commentName(line);
    if (name == null) {
      return;
    }
    FamilyAssembler.Target target = families.family(name, line);
    line.skipBlanks();
    if (line.atEnd()) {
      return; // "# HELP name" without text is no declaration
    }
    if (keyword.equals("HELP")) {
      target.family().help(line.helpText(), line);
    } else {
      String typeName = line.rest();
      MetricType type =
          MetricType.fromWire(typeName)
              .orElseThrow(() -> line.error("unknown metric type \"" + typeName + "\""));
      target.family().type(type, line);
    }
  }

  private static @Nullable String commentName(LineCursor line) {
    String name = line.peek() == '"' ? line.quoted("metric name") : line.legacyName(true);
    if (name == null) {
      throw line.error("invalid metric name in comment");
    }
    if (line.atEnd()) {
      return null;
    }
    if (!line.atBlank()) {
      throw line.error("invalid metric name in comment");
    }
    return name;
  }

  /** A sample line: name, optional labels, value, optional timestamp. */
  private void sample(LineCursor line, FamilyAssembler families) {
    String name = null;
    if (line.peek() != '{') {
      name = line.legacyName(true);
      if (name == null) {
        throw line.error("invalid metric name");
      }
      line.skipBlanks();
    }
    List<Label> labels = new ArrayList<>();
    if (line.peek() == '{') {
      line.advance();
      name = labels(line, name, labels);
    }
    if (name == null) {
      throw line.error("invalid metric name: the sample has no metric name");
    }
    line.skipBlanks();
    String valueText = line.token();
    Double value = LineCursor.parseFloat(valueText);
    if (value == null) {
      throw line.error("expected float as value, got \"" + valueText + "\"");
    }
    Long timestamp = null;
    line.skipBlanks();
    if (!line.atEnd()) {
      String timestampText = line.token();
      timestamp = LineCursor.parseLong(timestampText);
      if (timestamp == null) {
        throw line.error("expected integer as timestamp, got \"" + timestampText + "\"");
      }
      line.skipBlanks();
      if (!line.atEnd()) {
        throw line.error("spurious string after timestamp: \"" + line.rest() + "\"");
      }
    }
    families.sample(name, labels, value, timestamp, line);
  }

  /**
   * Reads the labels after {@code '{'} up to {@code '}'} into {@code labels}; a quoted string not
   * followed by {@code =} is the metric name. Returns the metric name.
   */
  private @Nullable String labels(LineCursor line, @Nullable String name, List<Label> labels) {
    String metricName = name;
    while (true) {
      line.skipBlanks();
      if (line.peek() == '}') {
        line.advance();
        return metricName;
      }
      boolean quoted = line.peek() == '"';
      String labelName = quoted ? line.quoted("label name") : line.legacyName(false);
      if (labelName == null) {
        throw line.error("invalid label name for metric" + nameSuffix(metricName));
      }
      line.skipBlanks();
      if (quoted && line.peek() != '=') {
        if (line.peek() != ',' && line.peek() != '}') {
          throw line.error("unexpected end of metric name \"" + labelName + "\"");
        }
        if (metricName != null) {
          throw line.error("multiple metric names: \"" + metricName + "\", \"" + labelName + "\"");
        }
        metricName = labelName;
      } else {
        labels.add(labelValue(line, labelName));
        if (labels.size() > limits.maxLabels()) {
          throw line.error("more than " + limits.maxLabels() + " labels in one sample");
        }
      }
      line.skipBlanks();
      if (line.peek() == ',') {
        line.advance();
      } else if (line.peek() != '}') {
        throw line.error("unexpected end of label value (expected ',' or '}')");
      }
    }
  }

  private static Label labelValue(LineCursor line, String labelName) {
    if (line.peek() != '=') {
      throw line.error("expected '=' after label name \"" + labelName + "\"");
    }
    line.advance();
    line.skipBlanks();
    if (line.peek() != '"') {
      throw line.error("expected '\"' at start of label value of \"" + labelName + "\"");
    }
    return new Label(labelName, line.quoted("label value"));
  }

  private static String nameSuffix(@Nullable String metricName) {
    return metricName == null ? "" : " \"" + metricName + "\"";
  }

  @Override
  public String toString() {
    return "PrometheusTextParser" + limits;
  }
}
