package dev.syntra.server.fleet;

import dev.syntra.server.ServerSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * How a new server gets the agent: the one line an operator pastes into a shell on that server.
 *
 * <pre>
 * t=$(mktemp) &amp;&amp; printf '%s\n' '&lt;token&gt;' &gt;"$t" &amp;&amp; curl -fsSL --proto =https
 *   &lt;public_url&gt;/install.sh | sudo sh -s -- --url &lt;public_url&gt; --endpoint &lt;hub_url&gt;
 *   --token-file "$t" --ca-sha256 &lt;hub CA&gt; --sha256-x86_64 &lt;hex&gt; --sha256-aarch64 &lt;hex&gt;;
 *   rm -f "$t"
 * </pre>
 *
 * <p>The registration token never reaches a program's argv (where {@code ps} and sudo's log show
 * it): {@code printf} is a shell builtin that writes it into a fresh 0600 file from {@code mktemp},
 * and install.sh reads it with {@code --token-file}. The SHA-256 of each tarball this server offers
 * lets install.sh check the download it picks for its architecture; the CA fingerprint lets the
 * agent pin the hub's own certificate authority.
 *
 * <p>Plain {@code http://} and {@code ws://} are for loopback hosts only (a local trial). When
 * {@code SYNTRA_PUBLIC_URL} or the hub URL is plain for another host, the server warns at start and
 * the "command" only prints why it refuses and fails: anyone on the network path could swap the
 * installer. The hub URL is {@code SYNTRA_HUB_URL}, or {@code wss://<host of
 * SYNTRA_PUBLIC_URL>:<hub port>/agent/v1}. Both URLs are checked at start so the command is always
 * safe to paste into a shell.
 */
@Component
final class AgentInstall {
  /** The default port of the agent hub (spec §6.2). */
  static final int HUB_PORT = 7443;

  private static final Logger log = LoggerFactory.getLogger(AgentInstall.class);

  /** URL characters that mean nothing to a POSIX shell. */
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._~:/\\[\\]%@+-]+");

  private final String publicUrl;
  private final String hubUrl;
  private final @Nullable String caSha256;
  private final Supplier<Map<String, String>> tarballSums;

  @Autowired
  AgentInstall(ServerSettings settings, HubEndpoint hub, Environment env, AgentDistribution dist) {
    this(
        settings.publicUrl(),
        env.getProperty("SYNTRA_HUB_URL"),
        hub.tls(),
        hub.port() == 0 ? HUB_PORT : hub.port(),
        hub.caSha256(),
        dist::sha256ByArch);
    String plain = plainUrl();
    if (plain != null) {
      log.warn(
          "{} is plain http/ws for a host other than loopback: install commands refuse to run"
              + " until SYNTRA_PUBLIC_URL is https:// (and the hub wss://)",
          plain);
    }
  }

  AgentInstall(String publicUrl, @Nullable String hubUrl) {
    this(publicUrl, hubUrl, true, HUB_PORT, null, Map::of);
  }

  AgentInstall(
      String publicUrl,
      @Nullable String hubUrl,
      boolean tls,
      int hubPort,
      @Nullable String caSha256,
      Supplier<Map<String, String>> tarballSums) {
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
    this.tarballSums = tarballSums;
  }

  String hubUrl() {
    return hubUrl;
  }

  /** The one line an operator runs on the new server. */
  String command(String registrationToken) {
    String plain = plainUrl();
    if (plain != null) {
      return "printf '%s\\n' 'syntra: no install command: "
          + plain
          + " is plain http/ws for a host other than loopback, so anyone on the network path could"
          + " replace the installer. Set SYNTRA_PUBLIC_URL to an https:// URL (and SYNTRA_HUB_URL"
          + " to wss://) on the control plane, then ask for a new registration token.' >&2; false";
    }
    StringBuilder line =
        new StringBuilder("t=$(mktemp) && printf '%s\\n' '")
            .append(registrationToken)
            .append("' >\"$t\" && curl -fsSL ")
            .append(publicUrl.startsWith("https://") ? "--proto =https " : "")
            .append(publicUrl)
            .append("/install.sh | sudo sh -s -- --url ")
            .append(publicUrl)
            .append(" --endpoint ")
            .append(hubUrl)
            .append(" --token-file \"$t\"");
    if (caSha256 != null) {
      line.append(" --ca-sha256 ").append(caSha256);
    }
    tarballSums
        .get()
        .forEach((arch, sum) -> line.append(" --sha256-").append(arch).append(' ').append(sum));
    if (hubUrl.startsWith("ws://")) {
      line.append(" --allow-insecure-ws");
    }
    return line.append("; rm -f \"$t\"").toString();
  }

  /** The first URL of the command that is plain text to a host other than loopback, or null. */
  private @Nullable String plainUrl() {
    for (String url : List.of(publicUrl, hubUrl)) {
      String scheme = URI.create(url).getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("ws"))
          && !isLoopback(URI.create(url).getHost())) {
        return url;
      }
    }
    return null;
  }

  /** localhost, 127.0.0.0/8 and [::1]: names that never leave the machine. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.equals("[::1]")
        || h.equals("::1")
        || h.matches("127(\\.\\d{1,3}){3}");
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
