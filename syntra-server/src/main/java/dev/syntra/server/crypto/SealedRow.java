package dev.syntra.server.crypto;

import java.util.UUID;

/**
 * One sealed secret as stored: its row id, ciphertext, the key version it was sealed under and the
 * associated data it is bound to.
 */
public record SealedRow(UUID id, byte[] ciphertext, int keyVersion, String associatedData) {}
