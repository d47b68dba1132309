/**
 * Published host ports: the in-process TCP proxy per binding and the routing of one service's
 * replicas behind it.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.traffic;

import org.jspecify.annotations.NullMarked;
