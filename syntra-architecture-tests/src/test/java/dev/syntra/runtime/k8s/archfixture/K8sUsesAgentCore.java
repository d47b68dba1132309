package dev.syntra.runtime.k8s.archfixture;

import dev.syntra.agent.archfixture.AgentThing;

/** Violates the k8s rule: runtime adapters never use agent-core. */
public record K8sUsesAgentCore(AgentThing agent) {}
