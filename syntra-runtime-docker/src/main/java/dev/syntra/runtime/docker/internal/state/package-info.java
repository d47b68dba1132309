/**
 * What the adapter knows about services: replicas and status read from container labels, and the
 * local deploy history that rollback uses.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.state;

import org.jspecify.annotations.NullMarked;
