/** Commands run inside replicas, with bounded output and timeouts. */
@NullMarked
package dev.syntra.runtime.docker.internal.exec;

import org.jspecify.annotations.NullMarked;
