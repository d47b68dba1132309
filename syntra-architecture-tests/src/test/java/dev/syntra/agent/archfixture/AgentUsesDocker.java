package dev.syntra.agent.archfixture;

import dev.syntra.runtime.docker.archfixture.DockerThing;

/** Violates the agent-core rule: adapters are found at runtime only. */
public record AgentUsesDocker(DockerThing docker) {}
