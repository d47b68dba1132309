/** Architecture rule fixtures that pose as syntra-runtime-k8s classes. */
@NullMarked
package dev.syntra.runtime.k8s.archfixture;

import org.jspecify.annotations.NullMarked;
