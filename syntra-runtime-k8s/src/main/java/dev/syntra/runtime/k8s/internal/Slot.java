package dev.syntra.runtime.k8s.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One of the two Deployments a service can have at once. Rolling and instant updates change the
 * serving slot in place; blue-green and canary start the other slot and switch traffic to it.
 */
public enum Slot {
  BLUE,
  GREEN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Slot other() {
    return this == BLUE ? GREEN : BLUE;
  }

  /** The slot named by a label value, or null for anything else. */
  public static @Nullable Slot fromLabel(@Nullable String label) {
    for (Slot slot : values()) {
      if (slot.label().equals(label)) {
        return slot;
      }
    }
    return null;
  }
}
