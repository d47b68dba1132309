package dev.syntra.telemetry.prometheus;

/**
 * Bounds of one parse, so a hostile or broken target cannot make the parser hold unbounded data.
 * Exceeding one fails the parse with a {@link PrometheusParseException} naming the limit.
 *
 * @param maxLineBytes longest line, in bytes without the newline
 * @param maxSamples sample lines in one exposition
 * @param maxLabels labels of one sample (including {@code quantile}/{@code le})
 * @param maxFamilies metric families, including those only named by HELP/TYPE lines
 */
public record ParserLimits(int maxLineBytes, int maxSamples, int maxLabels, int maxFamilies) {
  /** 64 KiB lines, 50,000 samples, 64 labels per sample, 10,000 families. */
  public static final ParserLimits DEFAULT = new ParserLimits(64 * 1024, 50_000, 64, 10_000);

  public ParserLimits {
    positive(maxLineBytes, "maxLineBytes");
    positive(maxSamples, "maxSamples");
    positive(maxLabels, "maxLabels");
    positive(maxFamilies, "maxFamilies");
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + ": must be positive, was " + value);
    }
  }
}
