package dev.syntra.runtime.docker.archfixture;

import dev.syntra.runtime.k8s.archfixture.K8sThing;

/** Violates the docker rule: runtime adapters never use each other. */
public record DockerUsesK8s(K8sThing k8s) {}
