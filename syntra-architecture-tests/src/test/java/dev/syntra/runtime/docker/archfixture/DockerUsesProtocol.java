package dev.syntra.runtime.docker.archfixture;

import dev.syntra.protocol.archfixture.ProtocolThing;

/** Satisfies the docker rule. */
public record DockerUsesProtocol(ProtocolThing protocol) {}
