/**
 * Container metrics: one stats sample per replica turned into CPU, memory, network and block I/O
 * figures.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.stats;

import org.jspecify.annotations.NullMarked;
