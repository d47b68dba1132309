package dev.syntra.agent.archfixture;

/** A syntra-agent-core class that other fixtures may or may not use. */
public record AgentThing() {}
