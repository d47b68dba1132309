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
 * Delivery re-resolves through the JVM's address cache (30 s by default), which the HTTP client
 * then uses too, so the address checked is the address connected to.
 *
 * <p>Thread-safe and immutable.
 */
public final class WebhookUrlPolicy {
  /** Resolves a host name (or IP literal) to its addresses. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
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
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "is not a valid URL";
    }
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
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // IPv6 literal
    }
    return addressRefusal(host, https);
  }

  private @Nullable String addressRefusal(String host, boolean https) {
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return "host " + host + " does not resolve";
    } catch (RuntimeException e) {
      return "host " + host + " could not be resolved";
    }
    if (addresses.isEmpty()) {
      return "host " + host + " does not resolve";
    }
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
