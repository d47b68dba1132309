/**
 * One replica container: its creation with confinement and project network, its facts from the
 * daemon, and the health gate it must pass.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.replica;

import org.jspecify.annotations.NullMarked;
