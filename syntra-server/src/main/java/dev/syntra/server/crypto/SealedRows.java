package dev.syntra.server.crypto;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * A table of sealed secrets, implemented by the package that owns the table (env vars, webhook
 * secrets, agent commands), so a key rotation re-seals every secret without any other package
 * touching those tables. Spring beans implementing this are all rotated together.
 */
public interface SealedRows {

  /** What the rows are, as counted in a rotation's result ({@code env_vars}, {@code webhooks}…). */
  String kind();

  /** Up to {@code limit} rows of the organization with ids above {@code after}, ids ascending. */
  List<SealedRow> page(Handle h, UUID orgId, UUID after, int limit);

  /** Replaces one row's ciphertext and key version. */
  void replace(Handle h, UUID orgId, UUID id, byte[] ciphertext, int keyVersion);
}
