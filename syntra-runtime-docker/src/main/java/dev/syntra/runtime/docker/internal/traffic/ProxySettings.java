package dev.syntra.runtime.docker.internal.traffic;

import java.time.Duration;

/**
 * How the published ports of a service are served.
 *
 * @param maxConnections bound of open connections per published port
 * @param connectTimeout connect timeout from a proxy to a replica's loopback port
 * @param drainTimeout longest wait for proxied connections of a retired replica to end
 */
public record ProxySettings(int maxConnections, Duration connectTimeout, Duration drainTimeout) {}
