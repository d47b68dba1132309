package dev.syntra.runtime.docker.internal.rollout;

import com.github.dockerjava.api.DockerClient;
import dev.syntra.runtime.docker.internal.image.ImagePuller;
import dev.syntra.runtime.docker.internal.replica.HealthGate;
import dev.syntra.runtime.docker.internal.replica.ReplicaFactory;
import dev.syntra.runtime.docker.internal.state.DeployHistory;
import dev.syntra.runtime.docker.internal.state.ServiceState;
import dev.syntra.runtime.docker.internal.traefik.CanaryRouting;
import java.time.Clock;
import java.time.Duration;

/**
 * The collaborators and settings shared by the adapter's operations, built once by {@code
 * DockerRuntimeAdapter}. Immutable; every member is thread-safe.
 *
 * @param docker the daemon client
 * @param daemon the daemon address, for messages
 * @param clock time source of deploy timing and health deadlines
 * @param sleeper how operations wait (injected so tests can drive time)
 * @param factory creates and removes replicas
 * @param health health gate of new replicas
 * @param puller pulls images
 * @param state reads replicas from labels
 * @param history local deploy history
 * @param canaryRouting Traefik weighted routing of services with domains
 * @param drainTimeout longest wait for proxied connections of a retired replica to end
 * @param stopTimeout grace period of {@code docker stop} before the kill
 * @param traefikReloadDelay wait after rewriting Traefik's dynamic config before retiring replicas
 *     it may still route to (only for services with domains)
 * @param proxyMaxConnections bound of open connections per published port
 * @param proxyConnectTimeout connect timeout from a proxy to a replica's loopback port
 */
public record DockerContext(
    DockerClient docker,
    String daemon,
    Clock clock,
    HealthGate.Sleeper sleeper,
    ReplicaFactory factory,
    HealthGate health,
    ImagePuller puller,
    ServiceState state,
    DeployHistory history,
    CanaryRouting canaryRouting,
    Duration drainTimeout,
    Duration stopTimeout,
    Duration traefikReloadDelay,
    int proxyMaxConnections,
    Duration proxyConnectTimeout) {}
