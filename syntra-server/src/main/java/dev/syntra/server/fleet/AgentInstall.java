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
 * How a new server gets the agent: {@code curl -fsSL <public_url>/install.sh | sudo sh -s -- --url
 * <public_url> --endpoint <hub_url> --token <registration token> --ca-sha256 <hub CA fingerprint>}.
 * The hub URL is {@code SYNTRA_HUB_URL}, or {@code wss://<host of SYNTRA_PUBLIC_URL>:<hub
 * port>/agent/v1} where the agent hub listens. The fingerprint lets the agent pin the hub's own
 * certificate authority. Both URLs are checked at start so the command is always safe to paste into
 * a shell.
 */
@Component
final class AgentInstall {
  /** The default port of the agent hub (spec §6.2). */
  static final int HUB_PORT = 7443;

  /** URL characters that mean nothing to a POSIX shell. */
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._~:/\\[\\]%@+-]+");

  private final String publicUrl;
  private final String hubUrl;
  private final @Nullable String caSha256;

  @Autowired
  AgentInstall(ServerSettings settings, HubEndpoint hub, Environment env) {
    this(
        settings.publicUrl(),
        env.getProperty("SYNTRA_HUB_URL"),
        hub.tls(),
        hub.port() == 0 ? HUB_PORT : hub.port(),
        hub.caSha256());
  }

  AgentInstall(String publicUrl, @Nullable String hubUrl) {
    this(publicUrl, hubUrl, true, HUB_PORT, null);
  }

  AgentInstall(
      String publicUrl,
      @Nullable String hubUrl,
      boolean tls,
      int hubPort,
      @Nullable String caSha256) {
    this.publicUrl =
        checked(
            "SYNTRA_PUBLIC_URL",
            strip(publicUrl),
            Set.of("http", "https"),
            "https://syntra.example.com");
    this.hubUrl =
        hubUrl == null || hubUrl.isBlank()
            ? (tls ? "wss://" : "ws://")
                + URI.create(this.publicUrl).getHost()
                + ":"
                + hubPort
                + HubEndpoint.PATH
            : checked(
                "SYNTRA_HUB_URL",
                strip(hubUrl),
                Set.of("ws", "wss"),
                "wss://hub.example.com:7443/agent/v1");
    this.caSha256 = caSha256;
  }

  String hubUrl() {
    return hubUrl;
  }

  /** The one line an operator runs on the new server. */
  String command(String registrationToken) {
    return "curl -fsSL "
        + publicUrl
        + "/install.sh | sudo sh -s -- --url "
        + publicUrl
        + " --endpoint "
        + hubUrl
        + " --token "
        + registrationToken
        + (caSha256 == null ? "" : " --ca-sha256 " + caSha256)
        + (hubUrl.startsWith("ws://") ? " --allow-insecure-ws" : "");
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
