/** Images: pulling with registry credentials and pruning those no recorded deployment needs. */
@NullMarked
package dev.syntra.runtime.docker.internal.image;

import org.jspecify.annotations.NullMarked;
