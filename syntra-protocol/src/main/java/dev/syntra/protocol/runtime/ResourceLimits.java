package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;

/**
 * CPU and memory limits of one replica. {@code 0} means unlimited. CPU is in millicores ({@code
 * 500} = half a core), memory in bytes.
 */
public record ResourceLimits(long cpuMillis, long memoryBytes) {
  public static final ResourceLimits UNLIMITED = new ResourceLimits(0, 0);

  /** Docker refuses memory limits below 6 MiB; so do we, to fail before the runtime does. */
  public static final long MIN_MEMORY_BYTES = 6L * 1024 * 1024;

  public ResourceLimits {
    Checks.nonNegative(cpuMillis, "cpu_millis");
    Checks.nonNegative(memoryBytes, "memory_bytes");
    if (memoryBytes != 0 && memoryBytes < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException(
          "memory_bytes: must be 0 (unlimited) or at least "
              + MIN_MEMORY_BYTES
              + ", was "
              + memoryBytes);
    }
  }
}
