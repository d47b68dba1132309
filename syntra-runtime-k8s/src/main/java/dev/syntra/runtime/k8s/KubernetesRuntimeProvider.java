package dev.syntra.runtime.k8s;

import dev.syntra.protocol.runtime.RuntimeAdapter;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeAdapterProvider;
import dev.syntra.protocol.runtime.RuntimeEnvironment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a Kubernetes API for the agent: the setting {@code SYNTRA_KUBERNETES_API} (an API server
 * URL), else {@code KUBECONFIG} or {@code ~/.kube/config}, else the in-cluster service account when
 * {@code KUBERNETES_SERVICE_HOST} is set. {@link #detect} asks the API for {@code /version} with a
 * short timeout and never throws. Priority 200: tried before Docker (100).
 */
public final class KubernetesRuntimeProvider implements RuntimeAdapterProvider {
  static final int DETECT_TIMEOUT_MS = 3000;

  @Override
  public String runtimeName() {
    return "kubernetes";
  }

  @Override
  public int priority() {
    return 200;
  }

  @Override
  public Detection detect(RuntimeEnvironment environment) {
    Optional<Source> source;
    try {
      source = source(environment);
    } catch (RuntimeException e) {
      return Detection.unavailable("Kubernetes configuration is unusable: " + e.getMessage());
    }
    if (source.isEmpty()) {
      return Detection.unavailable(
          "no Kubernetes API configured (set SYNTRA_KUBERNETES_API or KUBECONFIG, provide"
              + " ~/.kube/config, or run in a cluster)");
    }
    Config config = source.get().config();
    config.setConnectionTimeout(DETECT_TIMEOUT_MS);
    config.setRequestTimeout(DETECT_TIMEOUT_MS);
    config.setRequestRetryBackoffLimit(0);
    try (KubernetesClient client = newClient(config)) {
      VersionInfo version = client.getKubernetesVersion();
      return Detection.available(
          "Kubernetes API at "
              + config.getMasterUrl()
              + " (from "
              + source.get().origin()
              + ") answers"
              + (version == null ? "" : ", version " + version.getGitVersion()));
    } catch (Throwable t) {
      if (t instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      return Detection.unavailable(
          "Kubernetes API at "
              + config.getMasterUrl()
              + " (from "
              + source.get().origin()
              + ") does not answer: "
              + root(t));
    }
  }

  @Override
  public RuntimeAdapter create(RuntimeEnvironment environment) {
    Source source =
        source(environment)
            .orElseThrow(() ->
                new RuntimeAdapterException.Unavailable(
                    "no Kubernetes API configured (set SYNTRA_KUBERNETES_API or KUBECONFIG)",
                    null));
    return KubernetesRuntimeAdapter.builder().config(source.config()).build();
  }

  static KubernetesClient newClient(Config config) {
    return new KubernetesClientBuilder()
        .withHttpClientFactory(new JdkHttpClientFactory())
        .withConfig(config)
        .build();
  }

  private static Optional<Source> source(RuntimeEnvironment env) {
    Optional<String> url = env.setting("SYNTRA_KUBERNETES_API");
    if (url.isPresent()) {
      Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url.get()).build();
      return Optional.of(new Source(config, "SYNTRA_KUBERNETES_API"));
    }
    Optional<String> kubeconfig = env.setting("KUBECONFIG");
    Path file =
        kubeconfig
            .map(k -> Path.of(k.split(java.io.File.pathSeparator)[0]))
            .orElse(Path.of(System.getProperty("user.home"), ".kube", "config"));
    if (Files.isReadable(file)) {
      try {
        return Optional.of(
            new Source(Config.fromKubeconfig(Files.readString(file)), file.toString()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    if (kubeconfig.isPresent()) {
      throw new IllegalStateException("KUBECONFIG names " + file + ", which is not readable");
    }
    if (env.setting("KUBERNETES_SERVICE_HOST").isPresent()) {
      return Optional.of(new Source(Config.autoConfigure(null), "in-cluster service account"));
    }
    return Optional.empty();
  }

  private static String root(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r.getClass().getSimpleName() + (r.getMessage() == null ? "" : ": " + r.getMessage());
  }

  private record Source(Config config, String origin) {}
}
