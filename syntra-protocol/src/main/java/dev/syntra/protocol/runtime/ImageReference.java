package dev.syntra.protocol.runtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parsed container image reference, following the grammar of the distribution spec: {@code
 * [registry[:port]/]repository[:tag][@digest]}, e.g. {@code 127.0.0.1:5000/demo/web:1.2@sha256:…}.
 *
 * @param registry registry host and optional port, or null for the default registry
 * @param repository path of the repository, e.g. {@code demo/web}
 * @param tag the tag, or null; {@link #tagOrLatest()} applies the conventional default
 * @param digest content digest such as {@code sha256:…}, or null
 */
public record ImageReference(
    @Nullable String registry, String repository, @Nullable String tag, @Nullable String digest) {

  private static final int MAX_LENGTH = 512;
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
  private static final Pattern DOMAIN =
      Pattern.compile(DOMAIN_LABEL + "(?:\\." + DOMAIN_LABEL + ")*(?::[0-9]{1,5})?");
  private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
  private static final Pattern SPLIT = Pattern.compile("^([^@]+?)(?::([^:/@]+))?(?:@(.+))?$");

  /** Parses and validates a reference; the message says which part is wrong. */
  public static ImageReference parse(String reference) {
    if (reference == null || reference.isEmpty()) {
      throw invalid(reference, "it is empty");
    }
    if (reference.length() > MAX_LENGTH) {
      throw invalid(
          reference.substring(0, 64) + "…", "it is longer than " + MAX_LENGTH + " characters");
    }
    Matcher m = SPLIT.matcher(reference);
    if (!m.matches()) {
      throw invalid(reference, "it does not look like [registry/]name[:tag][@digest]");
    }
    String name = m.group(1);
    String tag = m.group(2);
    String digest = m.group(3);
    String registry = null;
    int slash = name.indexOf('/');
    if (slash > 0) {
      String first = name.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        if (!DOMAIN.matcher(first).matches()) {
          throw invalid(reference, "registry '" + first + "' is not a valid host[:port]");
        }
        registry = first;
        name = name.substring(slash + 1);
      }
    }
    if (!REPOSITORY.matcher(name).matches()) {
      throw invalid(
          reference,
          "repository '"
              + name
              + "' must be lower-case components of [a-z0-9] joined by '.', '_', '-' or '/'");
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw invalid(reference, "tag '" + tag + "' must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    }
    if (digest != null && !DIGEST.matcher(digest).matches()) {
      throw invalid(
          reference,
          "digest '" + digest + "' must look like algorithm:hex, e.g. sha256:<64 hex digits>");
    }
    return new ImageReference(registry, name, tag, digest);
  }

  /** The tag, or {@code latest} when neither tag nor digest was given. */
  public @Nullable String tagOrLatest() {
    return tag == null && digest == null ? "latest" : tag;
  }

  /** The reference without tag or digest, e.g. {@code 127.0.0.1:5000/demo/web}. */
  public String name() {
    return registry == null ? repository : registry + "/" + repository;
  }

  @Override
  public String toString() {
    return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }

  private static IllegalArgumentException invalid(@Nullable String reference, String why) {
    return new IllegalArgumentException(
        "image: '" + reference + "' is not a valid image reference: " + why);
  }
}
