package dev.syntra.ai.archfixture;

import dev.syntra.agent.archfixture.AgentThing;

/** Violates the ai rule: ai may use only protocol and telemetry. */
public record AiUsesAgentCore(AgentThing agent) {}
