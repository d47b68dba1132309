/**
 * Operations on services under their lock: deploy strategies, canary promote/abort, scale, restart,
 * stop, and the per-service state that serialises them.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.rollout;

import org.jspecify.annotations.NullMarked;
