/**
 * REST plumbing shared by every endpoint: problem+json errors, request body reading with field
 * paths, pagination.
 */
@NullMarked
package dev.syntra.server.api;

import org.jspecify.annotations.NullMarked;
