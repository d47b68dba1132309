package dev.syntra.server.http;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's HTTP/1.1 NIO protocol on a {@link GuardedNioEndpoint}. Tomcat creates it by class name
 * (so it needs a public no-argument constructor); {@link HttpServerConfiguration} then sets its
 * limits before the connector starts.
 */
public final class GuardedHttp11NioProtocol extends Http11NioProtocol {
  private final GuardedNioEndpoint guarded;

  public GuardedHttp11NioProtocol() {
    this(new GuardedNioEndpoint());
  }

  private GuardedHttp11NioProtocol(GuardedNioEndpoint endpoint) {
    super(endpoint);
    this.guarded = endpoint;
  }

  GuardedNioEndpoint guarded() {
    return guarded;
  }
}
