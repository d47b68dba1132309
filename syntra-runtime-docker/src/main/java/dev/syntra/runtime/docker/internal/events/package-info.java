/**
 * Daemon container events turned into runtime alerts (OOM, unexpected exit, unhealthy), with
 * reconnection.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.events;

import org.jspecify.annotations.NullMarked;
