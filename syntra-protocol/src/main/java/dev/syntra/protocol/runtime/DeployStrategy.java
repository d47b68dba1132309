package dev.syntra.protocol.runtime;

/** How a new version replaces the running one. */
public enum DeployStrategy {
  /** Stop the old containers, then start the new ones. Brief downtime. */
  INSTANT,
  /** Replace replicas one at a time, each health-gated before the next. */
  ROLLING,
  /** Start the full new set, wait until all are healthy, switch traffic, stop the old set. */
  BLUE_GREEN,
  /** Route a weighted share of traffic to the new version until it is promoted or aborted. */
  CANARY
}
