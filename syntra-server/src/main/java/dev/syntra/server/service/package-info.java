/** Services of a project: their runtime configuration and internal DNS names. */
@NullMarked
package dev.syntra.server.service;

import org.jspecify.annotations.NullMarked;
