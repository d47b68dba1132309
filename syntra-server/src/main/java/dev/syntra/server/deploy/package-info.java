/** Deployments of services: their history and detail (orchestration arrives separately). */
@NullMarked
package dev.syntra.server.deploy;

import org.jspecify.annotations.NullMarked;
