package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;

/**
 * Tuning of a rollout. {@code maxSurge}/{@code maxUnavailable} apply to rolling updates (as in a
 * Kubernetes RollingUpdate); {@code canaryWeightPercent} is the share of traffic a canary gets.
 */
public record RolloutOptions(int maxSurge, int maxUnavailable, int canaryWeightPercent) {
  /** One extra replica at a time, never fewer than desired, 10% canary traffic. */
  public static final RolloutOptions DEFAULTS = new RolloutOptions(1, 0, 10);

  public RolloutOptions {
    Checks.range(maxSurge, 0, 1000, "max_surge");
    Checks.range(maxUnavailable, 0, 1000, "max_unavailable");
    if (maxSurge == 0 && maxUnavailable == 0) {
      throw new IllegalArgumentException(
          "max_surge: max_surge and max_unavailable cannot both be 0");
    }
    Checks.range(canaryWeightPercent, 1, 99, "canary_weight_percent");
  }
}
