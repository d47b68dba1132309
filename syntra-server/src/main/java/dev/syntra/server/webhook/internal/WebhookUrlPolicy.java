package dev.syntra.server.webhook.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which URLs the server may POST webhooks to. A webhook URL is chosen by a tenant, so without this
 * policy it would be a request forgery tool: a tenant could make the control plane call its own
 * database, the cloud metadata service (and its credentials) or anything else on the private
 * network. By default only {@code https} URLs whose host resolves exclusively to public addresses
 * are allowed. With {@code SYNTRA_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true} (a self-hosted install whose
 * receivers live next to it) loopback, private and link-local hosts are allowed too, over {@code
 * http} or {@code https}; cloud metadata and reserved addresses stay refused.
 *
 * <p>The check runs when a webhook is saved and again before every delivery, because a name that
 * resolved to a public address yesterday may resolve to {@code 127.0.0.1} today (DNS rebinding).
 * Delivery resolves the name once ({@link #check}) and connects to exactly the addresses checked
 * ({@link Target#addresses()}), never resolving it again, so there is no window between the check
 * and the connection for a rebinding answer to slip through.
 *
 * <p>Thread-safe and immutable.
 */
public final class WebhookUrlPolicy {
  /** Resolves a host name (or IP literal) to its addresses. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /**
   * A URL the policy allows, with the addresses its host resolved to when checked: the only ones a
   * delivery may connect to.
   *
   * @param host the host name (or IP literal, IPv6 without brackets), for the {@code Host} header,
   *     TLS server name and certificate check
   */
  public record Target(URI uri, String host, int port, boolean https, List<InetAddress> addresses) {
    public Target {
      addresses = List.copyOf(addresses);
    }
  }

  /** The outcome of {@link #check}: a target, or why the URL is refused. */
  public record Checked(@Nullable Target target, @Nullable String refusal) {
    static Checked refused(String refusal) {
      return new Checked(null, refusal);
    }
  }

  static final String ALLOW_PROPERTY = "SYNTRA_WEBHOOK_ALLOW_PRIVATE_NETWORKS";

  private final boolean allowPrivateNetworks;
  private final Resolver resolver;

  public WebhookUrlPolicy(boolean allowPrivateNetworks, Resolver resolver) {
    this.allowPrivateNetworks = allowPrivateNetworks;
    this.resolver = resolver;
  }

  /** The policy using the system's resolver. */
  public static WebhookUrlPolicy create(boolean allowPrivateNetworks) {
    return new WebhookUrlPolicy(
        allowPrivateNetworks, host -> List.of(InetAddress.getAllByName(host)));
  }

  /**
   * Why {@code url} may not receive webhooks, as a sentence for the API's field error, or null when
   * it may. Resolves the host (so it can take as long as a DNS lookup).
   */
  public @Nullable String refusal(String url) {
    return check(url).refusal();
  }

  /**
   * Checks {@code url} as {@link #refusal} does and, when it is allowed, returns it with the
   * addresses that were checked. Resolves the host once.
   */
  public Checked check(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Checked.refused("is not a valid URL");
    }
    String refusal = shapeRefusal(uri);
    if (refusal != null) {
      return Checked.refused(refusal);
    }
    boolean https = uri.getScheme().equalsIgnoreCase("https");
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // IPv6 literal
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Checked.refused("host " + host + " does not resolve");
    } catch (RuntimeException e) {
      return Checked.refused("host " + host + " could not be resolved");
    }
    if (addresses.isEmpty()) {
      return Checked.refused("host " + host + " does not resolve");
    }
    refusal = addressRefusal(host, addresses, https);
    if (refusal != null) {
      return Checked.refused(refusal);
    }
    int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    return new Checked(new Target(uri, host, port, https, addresses), null);
  }

  private @Nullable String shapeRefusal(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getRawAuthority() == null || uri.getHost() == null) {
      return "must be an absolute https URL such as https://example.com/hooks/syntra";
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return "must use https";
    }
    if (uri.getRawUserInfo() != null) {
      return "must not contain credentials; authenticate the request with its signature instead";
    }
    if (uri.getRawFragment() != null) {
      return "must not contain a #fragment";
    }
    boolean https = scheme.equals("https");
    if (!https && !allowPrivateNetworks) {
      return "must use https";
    }
    return null;
  }

  private @Nullable String addressRefusal(String host, List<InetAddress> addresses, boolean https) {
    boolean allPrivate = true;
    for (InetAddress address : addresses) {
      NetworkAddresses.Kind kind = NetworkAddresses.classify(address);
      if (kind == NetworkAddresses.Kind.PUBLIC) {
        allPrivate = false;
        continue;
      }
      String where = "host " + host + " resolves to " + kind.describe() + " address";
      String literal = address.getHostAddress();
      if (kind == NetworkAddresses.Kind.METADATA || kind == NetworkAddresses.Kind.SPECIAL) {
        return where + " (" + literal + "), which never receives webhooks";
      }
      if (!allowPrivateNetworks) {
        return where
            + " ("
            + literal
            + "); loopback, private, link-local and metadata addresses are refused unless the"
            + " server runs with "
            + ALLOW_PROPERTY
            + "=true";
      }
    }
    if (!https && !allPrivate) {
      return "must use https (plain http is only allowed to private hosts, with "
          + ALLOW_PROPERTY
          + "=true)";
    }
    return null;
  }

  @Override
  public String toString() {
    return "WebhookUrlPolicy[allowPrivateNetworks=" + allowPrivateNetworks + "]";
  }
}
