package dev.syntra.protocol.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link DeployListener} that records every phase and checks the sequence the runtime contract
 * asks for: phases are first entered in the order of {@link DeployPhase} (a phase may be reported
 * again later, e.g. {@code CREATING} to {@code HEALTH_CHECKING} once per replica of a rolling
 * update), and exactly one terminal phase is reported, as the last one. Thread-safe.
 */
public final class ContractListener implements DeployListener {
  private final List<DeployPhase> phases = new CopyOnWriteArrayList<>();
  private final List<String> messages = new CopyOnWriteArrayList<>();

  @Override
  public void onProgress(DeployPhase phase, String message) {
    phases.add(phase);
    messages.add(message);
  }

  /** The phases in the order they were reported. */
  public List<DeployPhase> phases() {
    return List.copyOf(phases);
  }

  /** The deploy succeeded: ordered phases through a health check, ending in {@code RUNNING}. */
  public void assertSucceeded() {
    assertOrderedAndEndsIn(EnumSet.of(DeployPhase.RUNNING));
    assertThat(phases)
        .as("phases of a health-checked deploy")
        .contains(DeployPhase.HEALTH_CHECKING);
  }

  /** The deploy failed its health check and rolled back: it ends in {@code ROLLED_BACK}. */
  public void assertRolledBack() {
    assertOrderedAndEndsIn(EnumSet.of(DeployPhase.ROLLED_BACK));
  }

  /** The deploy failed (with or without anything to roll back to). */
  public void assertFailed() {
    assertOrderedAndEndsIn(EnumSet.of(DeployPhase.FAILED, DeployPhase.ROLLED_BACK));
  }

  private void assertOrderedAndEndsIn(Set<DeployPhase> terminal) {
    List<DeployPhase> seen = phases();
    assertThat(seen).as("reported phases").isNotEmpty();
    assertThat(messages).as("progress messages").doesNotContainNull();
    assertThat(seen.getLast()).as("last phase of " + seen).isIn(terminal);
    assertThat(seen.stream().filter(DeployPhase::isTerminal).count())
        .as("terminal phases in " + seen)
        .isEqualTo(1);
    List<DeployPhase> firstEntered = new ArrayList<>();
    for (DeployPhase phase : seen) {
      if (!firstEntered.contains(phase)) {
        firstEntered.add(phase);
      }
    }
    assertThat(firstEntered)
        .as("phases in order of first entry (all reported: " + seen + ")")
        .isSortedAccordingTo(DeployPhase::compareTo);
  }

  @Override
  public String toString() {
    return "ContractListener" + phases;
  }
}
