package dev.syntra.runtime.k8s.internal;

import dev.syntra.protocol.runtime.ContainerMetrics;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.protocol.runtime.RuntimeErrorCode;
import dev.syntra.protocol.runtime.ServiceRef;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resource samples per pod: CPU and memory from {@code metrics.k8s.io} (metrics-server), and, when
 * the agent may read it, process count and network bytes from the kubelet's summary API ({@code
 * nodes/{node}/proxy/stats/summary}). Without metrics-server, {@code UNSUPPORTED} says so.
 */
public final class MetricsReader {
  private static final Logger log = LoggerFactory.getLogger(MetricsReader.class);

  private final Cluster cluster;
  private final Clock clock;

  public MetricsReader(Cluster cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  public List<ContainerMetrics> read(ServiceRef service, List<Pod> pods) {
    String ns = Names.namespace(service);
    Map<String, PodMetrics> samples = new HashMap<>();
    try {
      for (PodMetrics m :
          cluster
              .client()
              .top()
              .pods()
              .inNamespace(ns)
              .withLabels(Names.ofService(service))
              .metrics()
              .getItems()) {
        samples.put(m.getMetadata().getName(), m);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 503) {
        throw new RuntimeAdapterException(
            RuntimeErrorCode.UNSUPPORTED,
            "metrics unavailable: the cluster does not serve the metrics.k8s.io API (install"
                + " metrics-server)",
            e);
      }
      throw cluster.errors().map("read pod metrics of " + service, e);
    }
    Map<String, Map<String, Object>> summaries = new HashMap<>();
    List<ContainerMetrics> out = new ArrayList<>();
    for (Pod pod : pods) {
      PodMetrics m = samples.get(pod.getMetadata().getName());
      if (m == null) {
        continue; // not scraped yet (metrics-server samples every 15 s or so)
      }
      Map<String, Object> stats = podStats(pod, summaries);
      out.add(sample(pod, m, stats));
    }
    return out;
  }

  private ContainerMetrics sample(Pod pod, PodMetrics m, @Nullable Map<String, Object> stats) {
    BigDecimal cores = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    for (io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics c : m.getContainers()) {
      cores = cores.add(amount(c.getUsage().get("cpu")));
      memory = memory.add(amount(c.getUsage().get("memory")));
    }
    long limit = 0;
    var limits = pod.getSpec().getContainers().getFirst().getResources();
    if (limits != null && limits.getLimits() != null && limits.getLimits().get("memory") != null) {
      limit = amount(limits.getLimits().get("memory")).longValue();
    }
    Instant at = parse(m.getTimestamp());
    return new ContainerMetrics(
        pod.getMetadata().getName(),
        at,
        cores.doubleValue() * 100,
        memory.longValue(),
        limit,
        number(stats, "network", "rxBytes"),
        number(stats, "network", "txBytes"),
        0,
        0,
        (int) number(stats, "process_stats", "process_count"));
  }

  @SuppressWarnings("unchecked")
  private @Nullable Map<String, Object> podStats(
      Pod pod, Map<String, Map<String, Object>> summaries) {
    String node = pod.getSpec().getNodeName();
    if (node == null) {
      return null;
    }
    Map<String, Object> summary =
        summaries.computeIfAbsent(
            node,
            n -> {
              try {
                String json = cluster.client().raw("/api/v1/nodes/" + n + "/proxy/stats/summary");
                return json == null
                    ? Map.of()
                    : cluster.client().getKubernetesSerialization().unmarshal(json, Map.class);
              } catch (RuntimeException e) {
                log.debug("kubelet summary of node {} unavailable: {}", n, e.toString());
                return Map.of();
              }
            });
    if (!(summary.get("pods") instanceof List<?> list)) {
      return null;
    }
    for (Object o : list) {
      if (o instanceof Map<?, ?> p
          && p.get("podRef") instanceof Map<?, ?> ref
          && pod.getMetadata().getName().equals(ref.get("name"))
          && pod.getMetadata().getNamespace().equals(ref.get("namespace"))) {
        return (Map<String, Object>) p;
      }
    }
    return null;
  }

  private static long number(@Nullable Map<String, Object> stats, String group, String key) {
    if (stats != null
        && stats.get(group) instanceof Map<?, ?> g
        && g.get(key) instanceof Number n) {
      return Math.max(0, n.longValue());
    }
    return 0;
  }

  private static BigDecimal amount(@Nullable Quantity q) {
    return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
  }

  private Instant parse(@Nullable String timestamp) {
    try {
      return timestamp == null ? clock.instant() : Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return clock.instant();
    }
  }
}
