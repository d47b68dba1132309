package dev.syntra.agent.testing;

import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeEnvironment;

/** Registers {@link InMemoryRuntime} as runtime {@code memory} for command-line tests. */
public final class InMemoryRuntimeProvider implements RuntimeAdapterProvider {
  @Override
  public String runtimeName() {
    return "memory";
  }

  @Override
  public int priority() {
    return Integer.MIN_VALUE;
  }

  @Override
  public Detection detect(RuntimeEnvironment environment) {
    return environment.setting("SYNTRA_TEST_MEMORY_RUNTIME").isPresent()
        ? Detection.available("test runtime enabled")
        : Detection.unavailable("SYNTRA_TEST_MEMORY_RUNTIME is not set");
  }

  @Override
  public RuntimeAdapter create(RuntimeEnvironment environment) {
    return new InMemoryRuntime();
  }
}
