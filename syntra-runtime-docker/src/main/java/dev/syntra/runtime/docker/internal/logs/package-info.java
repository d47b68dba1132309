/**
 * Container logs: demultiplexed streams assembled into lines and delivered to a sink on named
 * threads.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.logs;

import org.jspecify.annotations.NullMarked;
