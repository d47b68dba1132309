/** {@link dev.syntra.protocol.runtime.RuntimeAdapter} on a Docker daemon, with docker-java. */
@NullMarked
package dev.syntra.runtime.docker;

import org.jspecify.annotations.NullMarked;
