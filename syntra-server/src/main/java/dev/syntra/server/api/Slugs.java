package dev.syntra.server.api;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** URL- and DNS-safe names: lower-case RFC 1123 labels, as runtimes need them. */
public final class Slugs {
  public static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  public static final String RULE =
      "must be 1-63 characters of a-z, 0-9 and '-', starting and ending with a letter or digit";

  private Slugs() {}

  /** A label derived from a display name ("My Shop!" becomes "my-shop"); may be empty. */
  public static String from(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug =
        ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    if (slug.length() > 63) {
      slug = slug.substring(0, 63).replaceAll("-+$", "");
    }
    return slug;
  }
}
