package dev.syntra.server.org;

import dev.syntra.server.auth.ApiTokens;
import org.jspecify.annotations.Nullable;

/** The form {@code SYNTRA_BOOTSTRAP_TOKEN} must have, checked before the server opens any port. */
public final class BootstrapToken {
  private BootstrapToken() {}

  /** Refuses a malformed {@code SYNTRA_BOOTSTRAP_TOKEN}; null (unset) is fine. */
  public static void check(@Nullable String preset) {
    if (preset != null && !ApiTokens.looksValid(preset)) {
      throw new IllegalStateException(
          "SYNTRA_BOOTSTRAP_TOKEN must be 'syn_pat_' followed by 32 to 128 letters or digits,"
              + " or be unset");
    }
  }
}
