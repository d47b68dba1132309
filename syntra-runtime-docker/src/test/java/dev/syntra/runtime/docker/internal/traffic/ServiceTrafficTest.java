package dev.syntra.runtime.docker.internal.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.protocol.runtime.HostBinding;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ServiceTraffic} on loopback ports. */
class ServiceTrafficTest {

  @Test
  void opensNoProxyOnceClosed() throws IOException {
    ServiceTraffic traffic =
        new ServiceTraffic(
            new ServiceRef("k3x9a2", "shop", "web"),
            new ProxySettings(8, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            s -> {});
    HostBinding first = freeBinding();
    assertThat(traffic.open(List.of(first))).containsExactly(first);

    traffic.close();

    assertThat(traffic.proxies()).isEmpty();
    assertThatThrownBy(() -> traffic.open(List.of(freeBinding())))
        .isInstanceOfSatisfying(
            RuntimeAdapterException.class,
            e -> assertThat(e.code()).isEqualTo(RuntimeErrorCode.INTERNAL));
    assertThat(traffic.proxies()).isEmpty();
  }

  private static HostBinding freeBinding() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return HostBinding.loopback(s.getLocalPort());
    }
  }
}
