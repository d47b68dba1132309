package dev.syntra.server.webhook.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Sorts IP addresses into the classes the webhook URL policy cares about. IPv6 forms that carry an
 * IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the address they carry, so {@code
 * ::ffff:10.0.0.1} is as private as {@code 10.0.0.1}.
 */
final class NetworkAddresses {
  /** What an address is, from the point of view of a server sending webhooks. */
  enum Kind {
    /** Routable on the internet (including documentation ranges, which simply fail to connect). */
    PUBLIC("a public"),
    LOOPBACK("a loopback"),
    /** RFC 1918, unique-local (fc00::/7), shared (100.64/10), benchmarking and IETF ranges. */
    PRIVATE("a private"),
    LINK_LOCAL("a link-local"),
    /**
     * Cloud instance metadata services: credentials live there; refused even on private networks.
     */
    METADATA("a cloud metadata"),
    /** Unspecified, multicast, broadcast, reserved: never a webhook receiver. */
    SPECIAL("a reserved or multicast");

    private final String article;

    Kind(String article) {
      this.article = article;
    }

    /** "a loopback", "a private", ... for messages. */
    String describe() {
      return article;
    }
  }

  private static final byte[][] METADATA_ADDRESSES = {
    {(byte) 169, (byte) 254, (byte) 169, (byte) 254}, // AWS, GCP, Azure, OpenStack, ...
    {(byte) 169, (byte) 254, (byte) 170, 2}, // AWS ECS task metadata
    {100, 100, 100, (byte) 200}, // Alibaba Cloud
  };
  private static final byte[] AWS_METADATA_V6 = {
    (byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0x54 // fd00:ec2::254
  };

  private NetworkAddresses() {}

  static Kind classify(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return classifyV4(bytes);
    }
    if (address instanceof Inet6Address) {
      return classifyV6(bytes);
    }
    return Kind.SPECIAL;
  }

  private static Kind classifyV4(byte[] b) {
    for (byte[] metadata : METADATA_ADDRESSES) {
      if (Arrays.equals(b, metadata)) {
        return Kind.METADATA;
      }
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 127) {
      return Kind.LOOPBACK;
    }
    if (first == 169 && second == 254) {
      return Kind.LINK_LOCAL;
    }
    if (first == 0 || first >= 224) {
      return Kind.SPECIAL; // "this network", multicast, reserved 240/4, broadcast
    }
    if (first == 10
        || (first == 172 && second >= 16 && second <= 31)
        || (first == 192 && second == 168)
        || (first == 100 && second >= 64 && second <= 127) // shared address space (CGNAT)
        || (first == 198 && (second == 18 || second == 19)) // benchmarking
        || (first == 192 && second == 0 && (b[2] & 0xff) == 0)) { // IETF protocol assignments
      return Kind.PRIVATE;
    }
    return Kind.PUBLIC;
  }

  private static Kind classifyV6(byte[] b) {
    if (Arrays.equals(b, AWS_METADATA_V6)) {
      return Kind.METADATA;
    }
    byte[] embedded = embeddedV4(b);
    if (embedded != null) {
      return classifyV4(embedded);
    }
    if (isZero(b, 0, 15)) {
      return b[15] == 1 ? Kind.LOOPBACK : Kind.SPECIAL; // ::1, or :: and other tiny values
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0xff) {
      return Kind.SPECIAL; // multicast
    }
    if (first == 0xfe && (second & 0xc0) == 0x80) {
      return Kind.LINK_LOCAL; // fe80::/10
    }
    if ((first & 0xfe) == 0xfc || (first == 0xfe && (second & 0xc0) == 0xc0)) {
      return Kind.PRIVATE; // unique-local fc00::/7, deprecated site-local fec0::/10
    }
    if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
      return Kind.SPECIAL; // Teredo tunnels hide the real target
    }
    return Kind.PUBLIC;
  }

  /** The IPv4 address inside a mapped, compatible, NAT64 or 6to4 IPv6 address, else null. */
  private static byte @Nullable [] embeddedV4(byte[] b) {
    boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    boolean compatible = isZero(b, 0, 12) && !isZero(b, 12, 15); // ::a.b.c.d, not :: or ::1
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    nat64 = nat64 && isZero(b, 4, 12);
    if (mapped || compatible || nat64) {
      return Arrays.copyOfRange(b, 12, 16);
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return Arrays.copyOfRange(b, 2, 6); // 6to4: 2002:AABB:CCDD::/48
    }
    return null;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
