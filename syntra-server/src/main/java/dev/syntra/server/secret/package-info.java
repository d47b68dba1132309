/** Secrets: the master key, per-organization keys, AES-256-GCM sealing, env vars and references. */
@NullMarked
package dev.syntra.server.secret;

import org.jspecify.annotations.NullMarked;
