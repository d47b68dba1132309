package dev.syntra.server.fleet;

import dev.syntra.server.ServerSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * How a new server gets the agent: {@code curl -fsSL <public_url>/install.sh | sudo sh -s --
 * --endpoint <hub_url> --token <registration token>}. The hub URL is {@code SYNTRA_HUB_URL}, or
 * {@code wss://<host of SYNTRA_PUBLIC_URL>:7443} where the agent hub listens. The hub, the agent
 * and {@code install.sh} itself are delivered by the agent work; this class only builds the
 * command. Both URLs are checked at start so the command is always safe to paste into a shell.
 */
@Component
final class AgentInstall {
  /** The port of the agent hub (spec §6.2). */
  static final int HUB_PORT = 7443;

  /** URL characters that mean nothing to a POSIX shell. */
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._~:/\\[\\]%@+-]+");

  private final String publicUrl;
  private final String hubUrl;

  @Autowired
  AgentInstall(ServerSettings settings, Environment env) {
    this(settings.publicUrl(), env.getProperty("SYNTRA_HUB_URL"));
  }

  AgentInstall(String publicUrl, @Nullable String hubUrl) {
    this.publicUrl =
        checked(
            "SYNTRA_PUBLIC_URL",
            strip(publicUrl),
            Set.of("http", "https"),
            "https://syntra.example.com");
    this.hubUrl =
        hubUrl == null || hubUrl.isBlank()
            ? "wss://" + URI.create(this.publicUrl).getHost() + ":" + HUB_PORT
            : checked(
                "SYNTRA_HUB_URL", strip(hubUrl), Set.of("ws", "wss"), "wss://hub.example.com:7443");
  }

  String hubUrl() {
    return hubUrl;
  }

  /** The one line an operator runs on the new server. */
  String command(String registrationToken) {
    return "curl -fsSL "
        + publicUrl
        + "/install.sh | sudo sh -s -- --endpoint "
        + hubUrl
        + " --token "
        + registrationToken;
  }

  private static String strip(String url) {
    String trimmed = url.strip();
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  private static String checked(String variable, String url, Set<String> schemes, String example) {
    if (!isValid(url, schemes)) {
      throw new IllegalStateException(
          variable
              + " must be a URL such as "
              + example
              + " (scheme "
              + schemes.stream().sorted().toList()
              + ", a host, no spaces, quotes or shell characters), was: "
              + url);
    }
    return url;
  }

  private static boolean isValid(String url, Set<String> schemes) {
    if (!SHELL_SAFE.matcher(url).matches()) {
      return false;
    }
    try {
      URI uri = new URI(url);
      return uri.getScheme() != null
          && schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
