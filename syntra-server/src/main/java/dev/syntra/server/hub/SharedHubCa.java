package dev.syntra.server.hub;

import dev.syntra.server.db.Tenancy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Keeps every instance of the control plane on one hub CA. Agents pin the CA's fingerprint, and an
 * agent may connect to any instance, so the first instance records the fingerprint in the database
 * and each later one checks its own against it at start: an instance without the CA files, or with
 * other ones, fails with what to copy rather than creating a CA no agent trusts. The CA's key never
 * leaves the data directories it is copied to.
 */
@Component
final class SharedHubCa {
  private final Tenancy tenancy;

  SharedHubCa(Tenancy tenancy) {
    this.tenancy = tenancy;
  }

  /** Before the CA in {@code dir} is loaded, or created when it is missing. */
  void beforeLoading(Path dir) {
    Optional<String> recorded = recorded();
    if (recorded.isPresent()
        && !(Files.exists(dir.resolve("ca.crt")) && Files.exists(dir.resolve("ca.key")))) {
      throw new IllegalStateException(
          "the database is shared with a control plane whose hub CA has SHA-256 "
              + recorded.get()
              + " (agents pin it), but "
              + dir
              + " holds no ca.crt and ca.key: copy both files from an existing instance's"
              + " SYNTRA_DATA_DIR/hub before starting this one");
    }
  }

  /** Records the CA's fingerprint if none is, and fails if another one is. */
  void loaded(Path dir, String sha256) {
    tenancy.withoutOrg(
        null,
        h ->
            h.createUpdate("INSERT INTO hub_ca (sha256) VALUES (:sha256) ON CONFLICT DO NOTHING")
                .bind("sha256", sha256)
                .execute());
    String recorded = recorded().orElseThrow();
    if (!recorded.equals(sha256)) {
      throw new IllegalStateException(
          "the hub CA in "
              + dir
              + " (SHA-256 "
              + sha256
              + ") is not the one the other instances sharing this database use (SHA-256 "
              + recorded
              + ", pinned by agents): copy ca.crt and ca.key from an existing instance's"
              + " SYNTRA_DATA_DIR/hub");
    }
  }

  private Optional<String> recorded() {
    return tenancy.withoutOrg(
        null, h -> h.createQuery("SELECT sha256 FROM hub_ca").mapTo(String.class).findOne());
  }
}
