package dev.syntra.server.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The URL policy as configured by default (no SYNTRA_WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
class WebhookUrlPolicyTest {
  /** A DNS of our own: names map to addresses; IP literals parse without any lookup. */
  private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();

  private final WebhookUrlPolicy.Resolver resolver =
      host -> {
        List<InetAddress> addresses = dns.get(host);
        if (addresses != null) {
          return addresses;
        }
        if (host.contains(":") || host.matches("[0-9.]+")) {
          return List.of(InetAddress.getByName(host));
        }
        throw new UnknownHostException(host);
      };

  private final WebhookUrlPolicy byDefault = new WebhookUrlPolicy(false, resolver);
  private final WebhookUrlPolicy privateAllowed = new WebhookUrlPolicy(true, resolver);

  @Test
  void acceptsHttpsToPublicHosts() throws UnknownHostException {
    dns.put("hooks.example.com", List.of(InetAddress.getByName("93.184.215.14")));
    assertThat(byDefault.refusal("https://hooks.example.com/syntra?team=1")).isNull();
    assertThat(byDefault.refusal("https://93.184.215.14:8443/x")).isNull();
    assertThat(byDefault.refusal("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1/hook",
        "https://127.8.9.10/hook",
        "https://10.0.0.1/hook",
        "https://172.16.5.4/hook",
        "https://172.31.255.255/hook",
        "https://192.168.1.20/hook",
        "https://100.64.0.1/hook",
        "https://169.254.10.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[fd12:3456::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:a00:1]/hook",
        "https://[64:ff9b::a00:1]/hook",
        "https://[2002:c0a8:101::1]/hook",
        "https://[fd00:ec2::254]/hook",
        "https://0.0.0.0/hook",
        "https://[::]/hook",
        "https://224.0.0.1/hook",
        "https://255.255.255.255/hook",
      })
  void refusesLoopbackPrivateLinkLocalAndMetadataAddresses(String url) {
    assertThat(byDefault.refusal(url)).isNotNull().contains("resolves to");
  }

  @Test
  void refusesNamesThatResolveToPrivateAddresses() throws UnknownHostException {
    dns.put("internal.example.com", List.of(InetAddress.getByName("10.1.2.3")));
    dns.put(
        "mixed.example.com",
        List.of(InetAddress.getByName("93.184.215.14"), InetAddress.getByName("127.0.0.1")));
    assertThat(byDefault.refusal("https://internal.example.com/x"))
        .contains("host internal.example.com resolves to a private address (10.1.2.3)")
        .contains("SYNTRA_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true");
    assertThat(byDefault.refusal("https://mixed.example.com/x")).contains("loopback");
  }

  @Test
  void refusesANameThatRebindsToAPrivateAddressLater() throws UnknownHostException {
    dns.put("rebind.example.com", List.of(InetAddress.getByName("93.184.215.14")));
    assertThat(byDefault.refusal("https://rebind.example.com/x")).isNull();
    dns.put("rebind.example.com", List.of(InetAddress.getByName("169.254.169.254")));
    assertThat(byDefault.refusal("https://rebind.example.com/x")).contains("metadata");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://93.184.215.14/x",
        "ftp://93.184.215.14/x",
        "/relative/path",
        "https:opaque",
        "https://user:password@93.184.215.14/x",
        "https://93.184.215.14/x#fragment",
        "https://exa mple.com/x",
        "https://nowhere.invalid/x",
      })
  void refusesOtherUrlsItCannotOrShouldNotUse(String url) {
    assertThat(byDefault.refusal(url)).isNotNull();
  }

  @Test
  void refusesPlainHttpWithoutResolvingAnything() {
    assertThat(byDefault.refusal("http://nowhere.invalid/x")).isEqualTo("must use https");
    assertThat(byDefault.refusal("https://nowhere.invalid/x"))
        .isEqualTo("host nowhere.invalid does not resolve");
  }

  @Test
  void allowsPrivateReceiversOverHttpOnlyWhenConfigured() throws UnknownHostException {
    dns.put("hooks.example.com", List.of(InetAddress.getByName("93.184.215.14")));
    dns.put("ci.lan", List.of(InetAddress.getByName("192.168.1.5")));
    assertThat(privateAllowed.refusal("http://127.0.0.1:8080/hook")).isNull();
    assertThat(privateAllowed.refusal("http://[::1]:8080/hook")).isNull();
    assertThat(privateAllowed.refusal("http://ci.lan/hook")).isNull();
    assertThat(privateAllowed.refusal("https://10.0.0.1/hook")).isNull();
    assertThat(privateAllowed.refusal("https://hooks.example.com/x")).isNull();
    assertThat(privateAllowed.refusal("http://hooks.example.com/x")).startsWith("must use https");
  }

  @Test
  void refusesMetadataAndReservedAddressesEvenWhenPrivateNetworksAreAllowed() {
    assertThat(privateAllowed.refusal("http://169.254.169.254/latest/")).contains("never");
    assertThat(privateAllowed.refusal("http://[fd00:ec2::254]/")).contains("never");
    assertThat(privateAllowed.refusal("http://0.0.0.0:8080/")).contains("never");
    assertThat(privateAllowed.refusal("http://169.254.10.10/")).isNull();
  }

  @Test
  void classifiesAddressesByTheIpv4AddressTheyCarry() throws UnknownHostException {
    assertThat(NetworkAddresses.classify(InetAddress.getByName("64:ff9b::8.8.8.8")))
        .isEqualTo(NetworkAddresses.Kind.PUBLIC);
    assertThat(NetworkAddresses.classify(InetAddress.getByName("64:ff9b::192.168.0.1")))
        .isEqualTo(NetworkAddresses.Kind.PRIVATE);
    assertThat(NetworkAddresses.classify(InetAddress.getByName("2002:7f00:1::")))
        .isEqualTo(NetworkAddresses.Kind.LOOPBACK);
    assertThat(NetworkAddresses.classify(InetAddress.getByName("172.32.0.1")))
        .isEqualTo(NetworkAddresses.Kind.PUBLIC);
    assertThat(NetworkAddresses.classify(InetAddress.getByName("100.100.100.200")))
        .isEqualTo(NetworkAddresses.Kind.METADATA);
  }
}
