package dev.syntra.agent.runtime;

import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider.Detection;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the runtime adapter: with {@code auto}, the first provider (highest priority first) whose
 * {@link RuntimeAdapterProvider#detect detection} succeeds; otherwise the provider with that name.
 */
public final class RuntimeSelector {
  /** The runtime name that asks for auto-detection. */
  public static final String AUTO = "auto";

  private static final Logger log = LoggerFactory.getLogger(RuntimeSelector.class);

  private final List<RuntimeAdapterProvider> providers;

  /** A selector over {@code providers}, tried highest priority first. */
  public RuntimeSelector(Iterable<RuntimeAdapterProvider> providers) {
    List<RuntimeAdapterProvider> sorted = new ArrayList<>();
    providers.forEach(sorted::add);
    sorted.sort(Comparator.comparingInt(RuntimeAdapterProvider::priority).reversed());
    this.providers = List.copyOf(sorted);
  }

  /** A selector over every provider {@link ServiceLoader} finds on the class path. */
  public static RuntimeSelector fromClassPath() {
    return new RuntimeSelector(ServiceLoader.load(RuntimeAdapterProvider.class));
  }

  /** The providers, highest priority first. */
  public List<RuntimeAdapterProvider> providers() {
    return providers;
  }

  /**
   * The provider to use for {@code name} ({@code auto} or a runtime name).
   *
   * @throws RuntimeSelectionException when none fits; the message says why for each provider
   */
  public RuntimeAdapterProvider select(String name, RuntimeEnvironment environment) {
    if (providers.isEmpty()) {
      throw new RuntimeSelectionException(
          "no runtime adapter is installed: the agent's class path has no"
              + " dev.syntra.protocol.runtime.RuntimeAdapterProvider (expected syntra-runtime-docker"
              + " or syntra-runtime-k8s)");
    }
    if (!AUTO.equals(name)) {
      return providers.stream()
          .filter(p -> p.runtimeName().equals(name))
          .findFirst()
          .orElseThrow(() ->
              new RuntimeSelectionException(
                  "unknown runtime '"
                      + name
                      + "'; installed runtimes: "
                      + providers.stream()
                          .map(RuntimeAdapterProvider::runtimeName)
                          .collect(Collectors.joining(", "))
                      + " (or 'auto')"));
    }
    List<String> findings = new ArrayList<>();
    for (RuntimeAdapterProvider provider : providers) {
      Detection detection = detect(provider, environment);
      if (detection.available()) {
        log.info("Runtime {} detected: {}", provider.runtimeName(), detection.detail());
        return provider;
      }
      findings.add("  " + provider.runtimeName() + ": " + detection.detail());
    }
    throw new RuntimeSelectionException(
        "no runtime detected on this machine:\n"
            + String.join("\n", findings)
            + "\nStart Docker (or make a Kubernetes API reachable), or name the runtime with"
            + " --runtime.");
  }

  /** Selects a provider and creates its adapter. */
  public RuntimeAdapter create(String name, RuntimeEnvironment environment) {
    RuntimeAdapterProvider provider = select(name, environment);
    try {
      return provider.create(environment);
    } catch (RuntimeAdapterException e) {
      throw new RuntimeSelectionException(
          "cannot start the " + provider.runtimeName() + " runtime adapter: " + e.getMessage(), e);
    }
  }

  private static Detection detect(RuntimeAdapterProvider provider, RuntimeEnvironment environment) {
    try {
      return provider.detect(environment);
    } catch (RuntimeException e) {
      // detect() must not throw; a provider that does is reported, not fatal for the others.
      return Detection.unavailable("detection failed: " + e);
    }
  }
}
