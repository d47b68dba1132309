package dev.syntra.server.deploy;

import dev.syntra.protocol.runtime.DeployStrategy;
import dev.syntra.protocol.runtime.ImageReference;
import dev.syntra.server.api.ApiException;
import dev.syntra.server.api.JsonBody;
import dev.syntra.server.secret.Dotenv;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /services/{id}/deploy}, every field optional: {@code image} (a reference,
 * with or without tag or digest), {@code tag} or {@code digest} (replacing the image's), {@code
 * strategy}, {@code canary_percent} (canary only) and {@code env} (values that override the
 * service's resolved environment for this deployment, used as given).
 */
record DeployRequest(
    @Nullable String image,
    @Nullable String tag,
    @Nullable String digest,
    DeployStrategy strategy,
    @Nullable Integer canaryPercent,
    Map<String, String> env) {

  static final int MAX_ENV = 500;
  static final int MAX_KEY_CHARS = 256;
  static final int MAX_VALUE_BYTES = 64 * 1024;
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern DIGEST =
      Pattern.compile("[a-z0-9]+([.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
  private static final Set<String> STRATEGIES =
      Set.of("instant", "rolling", "blue_green", "canary");

  /** Reads and validates the body (an absent body means "all defaults"). */
  static DeployRequest read(JsonBody body) {
    String image = body.string("image", false, 512);
    if (image != null) {
      try {
        ImageReference.parse(image);
      } catch (IllegalArgumentException e) {
        body.reject("image", e.getMessage().replaceFirst("^image: ", ""));
        image = null;
      }
    }
    String tag = body.string("tag", false, TAG, "must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    String digest = body.string("digest", false, DIGEST, "must look like sha256:<64 hex digits>");
    if (tag != null && digest != null) {
      body.reject("digest", "give either 'tag' or 'digest', not both");
    }
    if (image != null && (tag != null || digest != null)) {
      ImageReference parsed = ImageReference.parse(image);
      if (parsed.tag() != null || parsed.digest() != null) {
        body.reject(
            tag != null ? "tag" : "digest",
            "'image' already names a tag or digest; give the image without it");
      }
    }
    String strategyName = body.oneOf("strategy", false, STRATEGIES);
    DeployStrategy strategy =
        strategyName == null
            ? DeployStrategy.ROLLING
            : DeployStrategy.valueOf(strategyName.toUpperCase(Locale.ROOT));
    Integer canary = body.integer("canary_percent", false, 1, 99);
    if (canary != null && strategy != DeployStrategy.CANARY) {
      body.reject("canary_percent", "applies to strategy 'canary' only");
    }
    Map<String, String> env = env(body);
    body.validate();
    return new DeployRequest(image, tag, digest, strategy, canary, env);
  }

  /** The image to deploy given the service's configured image (null if it has none). */
  String imageOver(@Nullable String serviceImage) {
    String base = image != null ? image : serviceImage;
    if (base == null) {
      throw ApiException.invalid(
          "$.image", "is required: the service has no image configured to deploy");
    }
    ImageReference ref = ImageReference.parse(base);
    String reference;
    if (tag != null) {
      reference = ref.name() + ":" + tag;
    } else if (digest != null) {
      reference = ref.name() + "@" + digest;
    } else if (ref.tag() == null && ref.digest() == null) {
      reference = ref.name() + ":latest";
    } else {
      reference = ref.toString();
    }
    try {
      return ImageReference.parse(reference).toString();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("$.image", e.getMessage().replaceFirst("^image: ", ""));
    }
  }

  private static Map<String, String> env(JsonBody body) {
    Map<String, String> env = body.stringMap("env", false, MAX_ENV);
    if (env == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach((key, value) -> {
      String problem = envProblem(key, value);
      if (problem != null) {
        body.reject("env." + key, problem);
      } else {
        out.put(key, value);
      }
    });
    return out;
  }

  /** The rules of the env API: key syntax and length, value size. Never quotes the value. */
  private static @Nullable String envProblem(String key, String value) {
    if (key.length() > MAX_KEY_CHARS) {
      return "a key is at most " + MAX_KEY_CHARS + " characters";
    }
    if (!Dotenv.KEY.matcher(key).matches()) {
      return "a key is letters, digits and '_', and does not start with a digit";
    }
    if (value.length() > MAX_VALUE_BYTES
        || value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
      return "a value is at most " + MAX_VALUE_BYTES + " bytes (UTF-8)";
    }
    return null;
  }
}
