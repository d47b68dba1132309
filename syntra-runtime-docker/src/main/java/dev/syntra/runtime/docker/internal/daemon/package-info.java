/**
 * The daemon itself: the docker-java client, error mapping, and the labels and names by which the
 * adapter recognises what it owns.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.daemon;

import org.jspecify.annotations.NullMarked;
