/**
 * The Kubernetes runtime: {@link dev.syntra.runtime.k8s.KubernetesRuntimeAdapter}, its
 * ServiceLoader provider and the YAML rendering of the objects it manages.
 */
@NullMarked
package dev.syntra.runtime.k8s;

import org.jspecify.annotations.NullMarked;
