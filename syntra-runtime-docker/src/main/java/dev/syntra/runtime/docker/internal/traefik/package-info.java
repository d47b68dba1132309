/**
 * Traefik routing of services with domains: docker-provider labels, shared rule and name helpers,
 * and the file-provider canary routing.
 */
@NullMarked
package dev.syntra.runtime.docker.internal.traefik;

import org.jspecify.annotations.NullMarked;
