package dev.syntra.runtime.k8s.archfixture;

import dev.syntra.protocol.archfixture.ProtocolThing;

/** Satisfies the k8s rule. */
public record K8sUsesProtocol(ProtocolThing protocol) {}
