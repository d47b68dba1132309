package dev.syntra.protocol.runtime;

/**
 * Service-provider interface through which the agent finds runtime adapters with {@link
 * java.util.ServiceLoader}. A runtime module registers its provider in {@code
 * META-INF/services/dev.syntra.protocol.runtime.RuntimeAdapterProvider}.
 *
 * <p>At start the agent asks every provider, highest {@link #priority()} first, whether its runtime
 * is reachable here ({@link #detect}) and creates the adapter of the first that is, unless the user
 * named a runtime explicitly.
 */
public interface RuntimeAdapterProvider {

  /** The runtime's name, as in {@link RuntimeAdapter#runtimeName()}: {@code docker}, ... */
  String runtimeName();

  /** Detection order: higher first. Kubernetes is tried before Docker. */
  int priority();

  /**
   * Whether this runtime can be used in {@code environment}: e.g. the Kubernetes API answers, or
   * the Docker socket exists and the daemon answers. Must return within a few seconds and never
   * throw; the detail says why not, for the operator.
   */
  Detection detect(RuntimeEnvironment environment);

  /**
   * Creates the adapter. Throws {@link RuntimeAdapterException} with {@link
   * RuntimeErrorCode#RUNTIME_UNAVAILABLE} when the runtime cannot be reached.
   */
  RuntimeAdapter create(RuntimeEnvironment environment);

  /** The answer of {@link #detect}: whether the runtime is usable, and what was found or missed. */
  record Detection(boolean available, String detail) {
    public Detection {
      if (detail == null || detail.isBlank()) {
        throw new IllegalArgumentException("detail: must not be blank");
      }
    }

    public static Detection available(String detail) {
      return new Detection(true, detail);
    }

    public static Detection unavailable(String detail) {
      return new Detection(false, detail);
    }
  }
}
