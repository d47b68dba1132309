package dev.syntra.server.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.coyote.AbstractProtocol;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Puts the HTTP port on {@link GuardedHttp11NioProtocol} with the limits of {@link HttpSettings},
 * believes {@code X-Forwarded-For} from {@link TrustedProxies} only, and exposes what they refuse
 * as {@code syntra_http_refused_total{limit}} ({@code per_address}, {@code total}, {@code
 * header_timeout}).
 */
@Configuration(proxyBeanMethods = false)
class HttpServerConfiguration {

  @Bean
  HttpSettings httpSettings(Environment env) {
    return HttpSettings.from(env);
  }

  @Bean
  WebServerFactoryCustomizer<TomcatWebServerFactory> guardedHttpProtocol(
      HttpSettings settings, MeterRegistry meters, Environment env) {
    List<String> proxies = TrustedProxies.from(env);
    AtomicReference<GuardedNioEndpoint> endpoint = new AtomicReference<>();
    counter(meters, "per_address", endpoint, GuardedNioEndpoint::refusedPerAddress);
    counter(meters, "total", endpoint, GuardedNioEndpoint::refusedTotal);
    counter(meters, "header_timeout", endpoint, GuardedNioEndpoint::headerTimeouts);
    return factory -> {
      if (!proxies.isEmpty()) {
        RemoteIpValve forwarded = new RemoteIpValve();
        forwarded.setInternalProxies(TrustedProxies.pattern(proxies));
        forwarded.setTrustedProxies(null);
        forwarded.setRemoteIpHeader("X-Forwarded-For");
        forwarded.setProtocolHeader("X-Forwarded-Proto");
        factory.addEngineValves(forwarded);
      }
      factory.setProtocol(GuardedHttp11NioProtocol.class.getName());
      factory.addConnectorCustomizers(connector -> {
        if (connector.getProtocolHandler() instanceof GuardedHttp11NioProtocol protocol) {
          protocol.guarded().guard(settings);
          endpoint.set(protocol.guarded());
        }
        if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
          int timeout = (int) Math.min(Integer.MAX_VALUE, settings.headerTimeout().toMillis());
          protocol.setConnectionTimeout(timeout); // silent new and kept-alive connections
          protocol.setKeepAliveTimeout(timeout);
          // Refused sockets are accepted and closed at once; Tomcat's own cap (which only
          // stops accepting) sits just above ours so it never queues them instead.
          protocol.setMaxConnections(settings.maxConnections() + 64);
        }
      });
    };
  }

  private static void counter(
      MeterRegistry meters,
      String limit,
      AtomicReference<GuardedNioEndpoint> endpoint,
      ToDoubleFunction<GuardedNioEndpoint> value) {
    FunctionCounter.builder(
            "syntra.http.refused",
            endpoint,
            ref -> ref.get() == null ? 0 : value.applyAsDouble(ref.get()))
        .tag("limit", limit)
        .description("HTTP connections closed by a connection cap or the header deadline")
        .register(meters);
  }
}
