package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;

/** Horizontal autoscaling between {@code minReplicas} and {@code maxReplicas} on a CPU target. */
public record Autoscaling(int minReplicas, int maxReplicas, int cpuTargetPercent) {
  public Autoscaling {
    Checks.range(minReplicas, 1, 1000, "min_replicas");
    Checks.range(maxReplicas, minReplicas, 1000, "max_replicas");
    Checks.range(cpuTargetPercent, 1, 100, "cpu_target_percent");
  }
}
