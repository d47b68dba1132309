/** Architecture rule fixtures that pose as syntra-runtime-docker classes. */
@NullMarked
package dev.syntra.runtime.docker.archfixture;

import org.jspecify.annotations.NullMarked;
