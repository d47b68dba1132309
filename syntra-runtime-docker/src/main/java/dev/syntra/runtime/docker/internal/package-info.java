/** Implementation of the Docker runtime adapter; not API. */
@NullMarked
package dev.syntra.runtime.docker.internal;

import org.jspecify.annotations.NullMarked;
