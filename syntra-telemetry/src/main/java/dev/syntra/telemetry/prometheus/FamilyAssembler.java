package dev.syntra.telemetry.prometheus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Collects the families of one parse: finds the family a name belongs to ({@code _sum}, {@code
 * _count}, {@code _bucket} of a declared summary/histogram), merges the samples of one summary or
 * histogram series, and enforces the sample and family limits. Not thread-safe.
 */
final class FamilyAssembler {
  /** Which sample of a summary/histogram a name is. */
  enum Role {
    VALUE,
    COUNT,
    SUM,
    BUCKET
  }

  record Target(FamilyBuilder family, Role role) {}

  private record SeriesKey(String family, List<Label> sortedLabels) {}

  private static final Comparator<Label> BY_NAME = Comparator.comparing(Label::name);

  private final ParserLimits limits;
  private final Map<String, FamilyBuilder> families = new LinkedHashMap<>();
  private final Map<SeriesKey, PointBuilder> series = new HashMap<>();
  private int samples;

  FamilyAssembler(ParserLimits limits) {
    this.limits = limits;
  }

  /** The family {@code name} belongs to, created when new. */
  Target family(String name, LineCursor line) {
    FamilyBuilder family = families.get(name);
    if (family != null) {
      return new Target(family, Role.VALUE);
    }
    for (Role role : List.of(Role.COUNT, Role.SUM, Role.BUCKET)) {
      String suffix = "_" + role.name().toLowerCase(java.util.Locale.ROOT);
      if (!name.endsWith(suffix)) {
        continue;
      }
      FamilyBuilder base = families.get(name.substring(0, name.length() - suffix.length()));
      MetricType type = base == null ? null : base.type;
      if (type != null
          && (type.isHistogram() || (type == MetricType.SUMMARY && role != Role.BUCKET))) {
        return new Target(base, role);
      }
    }
    if (families.size() >= limits.maxFamilies()) {
      throw line.error("more than " + limits.maxFamilies() + " metric families");
    }
    family = new FamilyBuilder(name);
    families.put(name, family);
    return new Target(family, Role.VALUE);
  }

  void sample(
      String name, List<Label> rawLabels, double value, @Nullable Long timestamp, LineCursor line) {
    if (++samples > limits.maxSamples()) {
      throw line.error("more than " + limits.maxSamples() + " samples");
    }
    checkLabelNames(rawLabels, name, line);
    Target target = family(name, line);
    FamilyBuilder family = target.family();
    if (family.type == null) {
      family.type = MetricType.UNTYPED;
    }
    MetricType type = family.type;
    if (type == MetricType.SUMMARY || type.isHistogram()) {
      String special = type == MetricType.SUMMARY ? "quantile" : "le";
      List<Label> labels = new ArrayList<>(rawLabels.size());
      Double bound = null;
      for (Label label : rawLabels) {
        if (label.name().equals(special)) {
          bound = LineCursor.parseFloat(label.value());
          if (bound == null) {
            throw line.error(
                "expected float as value for '"
                    + special
                    + "' label, got \""
                    + label.value()
                    + "\"");
          }
        } else {
          labels.add(label);
        }
      }
      PointBuilder point = seriesPoint(family, labels);
      if (type == MetricType.SUMMARY) {
        point.summarySample(target.role(), bound, value, family.name, line);
      } else {
        point.histogramSample(target.role(), bound, value, family.name, line);
      }
      point.timestamp(timestamp);
    } else {
      PointBuilder point = new PointBuilder(rawLabels);
      point.value = value;
      point.timestamp(timestamp);
      family.points.add(point);
    }
  }

  private PointBuilder seriesPoint(FamilyBuilder family, List<Label> labels) {
    List<Label> sorted = new ArrayList<>(labels);
    sorted.sort(BY_NAME);
    return series.computeIfAbsent(
        new SeriesKey(family.name, sorted),
        key -> {
          PointBuilder point = new PointBuilder(labels);
          family.points.add(point);
          return point;
        });
  }

  private static void checkLabelNames(List<Label> labels, String metric, LineCursor line) {
    Set<String> seen = new HashSet<>();
    for (Label label : labels) {
      if (label.name().equals("__name__")) {
        throw line.error("label name \"__name__\" is reserved");
      }
      if (label.name().isEmpty()) {
        throw line.error("invalid label name for metric \"" + metric + "\": empty");
      }
      if (!seen.add(label.name())) {
        throw line.error(
            "duplicate label names for metric \"" + metric + "\": \"" + label.name() + "\"");
      }
    }
  }

  List<MetricFamily> build() {
    List<MetricFamily> result = new ArrayList<>(families.size());
    for (FamilyBuilder family : families.values()) {
      if (!family.points.isEmpty()) {
        result.add(family.build());
      }
    }
    return result;
  }

  /** A family being assembled. */
  static final class FamilyBuilder {
    final String name;
    @Nullable MetricType type;
    @Nullable String help;
    final List<PointBuilder> points = new ArrayList<>();

    FamilyBuilder(String name) {
      this.name = name;
    }

    void help(String text, LineCursor line) {
      if (help != null) {
        throw line.error("second HELP line for metric name \"" + name + "\"");
      }
      help = text;
    }

    void type(MetricType newType, LineCursor line) {
      if (type != null) {
        throw line.error(
            "second TYPE line for metric name \"" + name + "\", or TYPE reported after samples");
      }
      type = newType;
    }

    MetricFamily build() {
      MetricType t = type == null ? MetricType.UNTYPED : type;
      List<MetricPoint> built = new ArrayList<>(points.size());
      for (PointBuilder point : points) {
        built.add(point.build(t));
      }
      return new MetricFamily(name, t, help == null ? "" : help, built);
    }
  }
}
