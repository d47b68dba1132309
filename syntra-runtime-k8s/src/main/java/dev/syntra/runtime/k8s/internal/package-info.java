/** Implementation of the Kubernetes runtime adapter; not used outside this module. */
@NullMarked
package dev.syntra.runtime.k8s.internal;

import org.jspecify.annotations.NullMarked;
