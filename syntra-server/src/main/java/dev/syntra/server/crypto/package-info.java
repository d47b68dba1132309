/**
 * Encryption at rest, below every feature: the master key, {@link
 * dev.syntra.server.crypto.SecretBox} (AES-256-GCM under per-organization keys derived with
 * HKDF-SHA256) and the key version new secrets are sealed under. Env vars, webhook secrets and
 * agent commands seal through it.
 */
@NullMarked
package dev.syntra.server.crypto;

import org.jspecify.annotations.NullMarked;
