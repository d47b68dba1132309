package dev.syntra.runtime.k8s.archfixture;

/** A syntra-runtime-k8s class that other fixtures may or may not use. */
public record K8sThing() {}
