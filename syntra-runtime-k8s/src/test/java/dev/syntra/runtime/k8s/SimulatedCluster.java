package dev.syntra.runtime.k8s;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Kubernetes "cluster" for tests: fabric8's mock API server in CRUD mode, plus the parts a
 * real cluster adds that a CRUD store lacks, played by this class:
 *
 * <ul>
 *   <li><b>controller</b>: every 50 ms, reconciles each Deployment into pods of its current
 *       template (Recreate or RollingUpdate: old pods go once the new ones are ready), deletes
 *       surplus and orphaned pods, and writes the Deployment's status;
 *   <li><b>kubelet</b>: "pulls" an image by asking the local registry (127.0.0.1:5000) for its
 *       manifest (404 → {@code ErrImagePull}), and runs the fixture images by their documented
 *       behaviour: {@code httpd} is ready, {@code unhealthy} fails its HTTP probe, {@code crash}
 *       crash-loops. It serves pod logs (one line per request it answered) and exec, which runs the
 *       command in a throwaway container of the pod's image with the pod's env ({@code docker
 *       run});
 *   <li><b>kube-proxy</b>: {@link #get} sends a request to a random ready pod behind the Service;
 *   <li><b>metrics-server and kubelet stats</b>: samples for running pods (switchable).
 * </ul>
 */
final class SimulatedCluster implements AutoCloseable {
  static final String NODE = "sim-node";
  static final String REGISTRY = "127.0.0.1:5000";
  private static final Pattern LOG =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?");
  private static final Pattern EXEC =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/exec(\\?.*)?");
  private static final Pattern METRICS =
      Pattern.compile("/apis/metrics.k8s.io/v1beta1/namespaces/([^/]+)/pods(\\?.*)?");
  private static final String SUMMARY = "/api/v1/nodes/" + NODE + "/proxy/stats/summary";

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Thread controller;
  private final Map<String, List<String>> podLogs = new ConcurrentHashMap<>();
  private final Map<String, String> digests = new ConcurrentHashMap<>();

  /**
   * The pods as the controller last saw them; the kubelet API must not call back into the server.
   */
  private volatile Map<String, Pod> snapshot = Map.of();

  private final List<String> execCommands = new CopyOnWriteArrayList<>();
  private final HttpClient registry =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile boolean metricsServer = true;
  private volatile boolean running = true;

  SimulatedCluster() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    Dispatcher crud = new KubernetesMixedDispatcher(responses);
    Dispatcher kubelet =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            MockResponse own = kubelet(request);
            return own != null ? own : crud.dispatch(request);
          }
        };
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), responses, kubelet, false);
    try {
      server.init(InetAddress.getByName("127.0.0.1"), 0);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    client = server.createClient(new JdkHttpClientFactory());
    controller = Thread.ofPlatform().daemon().name("sim-controller").start(this::controlLoop);
  }

  KubernetesClient client() {
    return client;
  }

  KubernetesMockServer server() {
    return server;
  }

  String url() {
    return server.url("/");
  }

  void metricsServer(boolean enabled) {
    metricsServer = enabled;
  }

  List<String> execCommands() {
    return List.copyOf(execCommands);
  }

  // ---------------------------------------------------------------- controller

  private void controlLoop() {
    while (running) {
      try {
        reconcile();
      } catch (RuntimeException e) {
        if (running) {
          System.err.println("sim-controller: " + e);
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void reconcile() {
    List<Deployment> deployments = client.apps().deployments().inAnyNamespace().list().getItems();
    List<Pod> pods = new ArrayList<>(client.pods().inAnyNamespace().list().getItems());
    Map<String, Pod> seen = new ConcurrentHashMap<>();
    pods.forEach(p -> seen.put(key(p), p));
    snapshot = seen;
    for (Deployment d : deployments) {
      List<Pod> mine = pods.stream().filter(p -> owns(d, p)).toList();
      pods.removeAll(mine);
      reconcile(d, mine);
    }
    for (Pod orphan : pods) {
      client.resource(orphan).delete();
    }
  }

  private static boolean owns(Deployment d, Pod p) {
    return Objects.equals(p.getMetadata().getNamespace(), d.getMetadata().getNamespace())
        && p.getMetadata().getLabels() != null
        && p.getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(d.getSpec().getSelector().getMatchLabels().entrySet());
  }

  private void reconcile(Deployment d, List<Pod> pods) {
    String hash = templateHash(d);
    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    List<Pod> current =
        pods.stream()
            .filter(p -> hash.equals(p.getMetadata().getAnnotations().get("sim/template")))
            .toList();
    List<Pod> old = pods.stream().filter(p -> !current.contains(p)).toList();
    boolean recreate = "Recreate".equals(d.getSpec().getStrategy().getType());
    if (recreate && !old.isEmpty()) {
      old.forEach(p -> client.resource(p).delete());
      return;
    }
    for (int i = current.size(); i < want; i++) {
      createPod(d, hash);
    }
    for (int i = want; i < current.size(); i++) {
      client.resource(current.get(current.size() - 1 - (i - want))).delete();
    }
    long ready = current.stream().filter(SimulatedCluster::isReady).count();
    if (ready >= want) {
      old.forEach(p -> client.resource(p).delete());
    }
    var status =
        new DeploymentStatusBuilder()
            .withReplicas(pods.size())
            .withUpdatedReplicas(current.size())
            .withReadyReplicas((int) pods.stream().filter(SimulatedCluster::isReady).count())
            .withAvailableReplicas((int) pods.stream().filter(SimulatedCluster::isReady).count())
            .build();
    if (!status.equals(d.getStatus())) {
      d.setStatus(status);
      try {
        client.resource(d).updateStatus();
      } catch (RuntimeException e) {
        // changed meanwhile; next round
      }
    }
  }

  private static String key(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  private Pod pod(String ns, String name) {
    return snapshot.get(ns + "/" + name);
  }

  private String templateHash(Deployment d) {
    String json = client.getKubernetesSerialization().asJson(d.getSpec().getTemplate());
    return Integer.toHexString(json.hashCode());
  }

  static boolean isReady(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private void createPod(Deployment d, String hash) {
    String name =
        d.getMetadata().getName()
            + "-"
            + hash.substring(0, Math.min(5, hash.length()))
            + "-"
            + random(5);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (d.getSpec().getTemplate().getMetadata().getAnnotations() != null) {
      annotations.putAll(d.getSpec().getTemplate().getMetadata().getAnnotations());
    }
    annotations.put("sim/template", hash);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
            .withAnnotations(annotations)
            .withCreationTimestamp(Instant.now().toString())
            .endMetadata()
            .withSpec(d.getSpec().getTemplate().getSpec())
            .build();
    pod.getSpec().setNodeName(NODE);
    pod.setStatus(kubelet(pod));
    client.resource(pod).create();
    snapshot.put(key(pod), pod);
    Pod stored = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).get();
    if (stored != null && stored.getStatus() == null
        || stored != null && !Objects.equals(stored.getStatus(), pod.getStatus())) {
      stored.setStatus(pod.getStatus());
      client.resource(stored).updateStatus();
    }
  }

  // ---------------------------------------------------------------- kubelet

  /** The pod status the kubelet would report for the pod's image, right after starting it. */
  private PodStatus kubelet(Pod pod) {
    var container = pod.getSpec().getContainers().getFirst();
    String image = container.getImage();
    String now = Instant.now().toString();
    ContainerStatusBuilder cs =
        new ContainerStatusBuilder()
            .withName(container.getName())
            .withImage(image)
            .withRestartCount(0);
    String digest = digest(image);
    boolean ready = false;
    String phase = "Running";
    if (digest == null) {
      phase = "Pending";
      cs.withNewState()
          .withNewWaiting()
          .withReason("ErrImagePull")
          .withMessage(
              "rpc error: code = NotFound desc = failed to pull and unpack image \""
                  + image
                  + "\": not found")
          .endWaiting()
          .endState();
    } else if (behaviour(image).equals("crash")) {
      cs.withImageID(REGISTRY + "/x@" + digest)
          .withRestartCount(1)
          .withNewState()
          .withNewWaiting()
          .withReason("CrashLoopBackOff")
          .withMessage("back-off 10s restarting failed container")
          .endWaiting()
          .endState()
          .withNewLastState()
          .withNewTerminated()
          .withExitCode(3)
          .withReason("Error")
          .endTerminated()
          .endLastState();
    } else {
      ready = probeSucceeds(image, container.getReadinessProbe());
      cs.withImageID(REGISTRY + "/x@" + digest)
          .withReady(ready)
          .withStarted(true)
          .withNewState()
          .withNewRunning()
          .withStartedAt(now)
          .endRunning()
          .endState();
    }
    ContainerStatus status = cs.build();
    return new PodStatusBuilder()
        .withPhase(phase)
        .withStartTime(now)
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("True")
        .endCondition()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .withContainerStatuses(status)
        .build();
  }

  private static boolean probeSucceeds(String image, Probe probe) {
    if (probe == null || probe.getHttpGet() == null) {
      return true;
    }
    return answer(image, probe.getHttpGet().getPath()).code() < 400;
  }

  /** What a fixture image answers on {@code path}. */
  static Answer answer(String image, String path) {
    String behaviour = behaviour(image);
    String version = image.substring(image.lastIndexOf(':') + 1);
    return switch (path) {
      case "/health" ->
          behaviour.equals("unhealthy") ? new Answer(404, "not found") : new Answer(200, "ok");
      case "/version" -> new Answer(200, version + "\n");
      default -> new Answer(404, "not found");
    };
  }

  record Answer(int code, String body) {}

  static String behaviour(String image) {
    String name = image.substring(0, image.lastIndexOf(':'));
    return name.substring(name.lastIndexOf('/') + 1);
  }

  /** The manifest digest of {@code image} in the local registry, or null if it has none. */
  private String digest(String image) {
    return digests
        .computeIfAbsent(
            image,
            i -> {
              try {
                String repoTag = i.substring(REGISTRY.length() + 1);
                String repo = repoTag.substring(0, repoTag.lastIndexOf(':'));
                String tag = repoTag.substring(repoTag.lastIndexOf(':') + 1);
                HttpResponse<Void> r =
                    registry.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://" + REGISTRY + "/v2/" + repo + "/manifests/" + tag))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .header(
                                "Accept",
                                "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                            .build(),
                        HttpResponse.BodyHandlers.discarding());
                return r.statusCode() == 200
                    ? r.headers().firstValue("Docker-Content-Digest").orElse(null)
                    : "";
              } catch (Exception e) {
                throw new IllegalStateException(
                    "the local registry " + REGISTRY + " does not answer: " + e, e);
              }
            })
        .transform(d -> d == null || d.isEmpty() ? null : d);
  }

  // ---------------------------------------------------------------- kube-proxy

  /** GETs {@code path} from a random ready pod behind Service {@code name} in {@code namespace}. */
  String get(String namespace, String name, String path) {
    var svc = client.services().inNamespace(namespace).withName(name).get();
    if (svc == null) {
      throw new IllegalStateException("connection refused: no Service " + namespace + "/" + name);
    }
    List<Pod> endpoints =
        client
            .pods()
            .inNamespace(namespace)
            .withLabels(svc.getSpec().getSelector())
            .list()
            .getItems()
            .stream()
            .filter(SimulatedCluster::isReady)
            .toList();
    if (endpoints.isEmpty()) {
      throw new IllegalStateException(
          "connection refused: Service " + namespace + "/" + name + " has no ready endpoint");
    }
    Pod pod = endpoints.get(ThreadLocalRandom.current().nextInt(endpoints.size()));
    Answer a = answer(pod.getSpec().getContainers().getFirst().getImage(), path);
    podLogs
        .computeIfAbsent(pod.getMetadata().getName(), k -> new CopyOnWriteArrayList<>())
        .add(Instant.now() + " 10.0.0.1 GET " + path + " " + a.code());
    if (a.code() >= 300) {
      throw new IllegalStateException("HTTP " + a.code() + " from " + pod.getMetadata().getName());
    }
    return a.body();
  }

  /** Appends a line to a pod's log, as if the container wrote it. */
  void writeLog(String pod, Instant at, String line) {
    podLogs.computeIfAbsent(pod, k -> new CopyOnWriteArrayList<>()).add(at + " " + line);
  }

  // ---------------------------------------------------------------- kubelet API

  private MockResponse kubelet(RecordedRequest request) {
    String path = request.getPath();
    Matcher m;
    if ((m = LOG.matcher(path)).matches() && "GET".equals(request.getMethod())) {
      return logs(m.group(1), m.group(2), query(m.group(3)));
    }
    if ((m = EXEC.matcher(path)).matches()) {
      Pod pod = pod(m.group(1), m.group(2));
      if (pod == null) {
        return new MockResponse().setResponseCode(404).setBody(notFound("pods", m.group(2)));
      }
      return new MockResponse()
          .withWebSocketUpgrade(
              new SimExec(this, pod, queryAll(m.group(3)).getOrDefault("command", List.of())));
    }
    if ((m = METRICS.matcher(path)).matches()) {
      if (!metricsServer) {
        return new MockResponse().setResponseCode(404).setBody(notFound("pods.metrics.k8s.io", ""));
      }
      return new MockResponse()
          .setResponseCode(200)
          .setBody(podMetrics(m.group(1), query(m.group(2)).get("labelSelector")));
    }
    if (path.startsWith(SUMMARY)) {
      return new MockResponse().setResponseCode(200).setBody(summary());
    }
    return null;
  }

  private MockResponse logs(String ns, String name, Map<String, String> q) {
    Pod pod = pod(ns, name);
    if (pod == null) {
      return new MockResponse().setResponseCode(404).setBody(notFound("pods", name));
    }
    List<String> lines = new ArrayList<>(podLogs.getOrDefault(name, List.of()));
    if (q.containsKey("sinceTime")) {
      Instant since = Instant.parse(q.get("sinceTime"));
      lines.removeIf(l -> Instant.parse(l.substring(0, l.indexOf(' '))).isBefore(since));
    }
    if (q.containsKey("tailLines")) {
      int tail = Integer.parseInt(q.get("tailLines"));
      lines = lines.subList(Math.max(0, lines.size() - tail), lines.size());
    }
    boolean timestamps = "true".equals(q.get("timestamps"));
    StringBuilder body = new StringBuilder();
    for (String l : lines) {
      body.append(timestamps ? l : l.substring(l.indexOf(' ') + 1)).append('\n');
    }
    return new MockResponse().setResponseCode(200).setBody(body.toString());
  }

  private String podMetrics(String ns, String selector) {
    Map<String, String> labels = new HashMap<>();
    if (selector != null) {
      for (String part : selector.split(",")) {
        String[] kv = part.split("=", 2);
        labels.put(kv[0], kv[1]);
      }
    }
    StringBuilder items = new StringBuilder();
    for (Pod p : snapshot.values()) {
      if (!ns.equals(p.getMetadata().getNamespace())
          || !p.getMetadata().getLabels().entrySet().containsAll(labels.entrySet())
          || !running(p)) {
        continue;
      }
      if (!items.isEmpty()) {
        items.append(',');
      }
      items
          .append("{\"metadata\":{\"name\":\"")
          .append(p.getMetadata().getName())
          .append("\",\"namespace\":\"")
          .append(ns)
          .append("\"},\"timestamp\":\"")
          .append(Instant.now())
          .append("\",\"window\":\"15s\",\"containers\":[{\"name\":\"")
          .append(p.getSpec().getContainers().getFirst().getName())
          .append("\",\"usage\":{\"cpu\":\"1500000n\",\"memory\":\"1236Ki\"}}]}");
    }
    return "{\"kind\":\"PodMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":["
        + items
        + "]}";
  }

  private String summary() {
    StringBuilder pods = new StringBuilder();
    for (Pod p : snapshot.values()) {
      if (!running(p)) {
        continue;
      }
      if (!pods.isEmpty()) {
        pods.append(',');
      }
      pods.append("{\"podRef\":{\"name\":\"")
          .append(p.getMetadata().getName())
          .append("\",\"namespace\":\"")
          .append(p.getMetadata().getNamespace())
          .append("\"},\"network\":{\"rxBytes\":4096,\"txBytes\":2048},")
          .append("\"process_stats\":{\"process_count\":2}}");
    }
    return "{\"node\":{\"nodeName\":\"" + NODE + "\"},\"pods\":[" + pods + "]}";
  }

  private static boolean running(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().getFirst().getState().getRunning() != null;
  }

  /** The env of the pod's container, resolving secretKeyRefs as the kubelet does. */
  Map<String, String> env(Pod pod) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : pod.getSpec().getContainers().getFirst().getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        Secret s =
            client
                .secrets()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(ref.getName())
                .get();
        String b64 = s == null ? null : s.getData().get(ref.getKey());
        if (b64 == null) {
          throw new IllegalStateException(
              "CreateContainerConfigError: secret "
                  + ref.getName()
                  + " key "
                  + ref.getKey()
                  + " missing");
        }
        env.put(e.getName(), new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
      }
    }
    return env;
  }

  void recordExec(List<String> command) {
    execCommands.add(String.join(" ", command));
  }

  private static Map<String, String> query(String q) {
    Map<String, String> out = new HashMap<>();
    queryAll(q).forEach((k, v) -> out.put(k, v.getLast()));
    return out;
  }

  private static Map<String, List<String>> queryAll(String q) {
    Map<String, List<String>> out = new HashMap<>();
    if (q == null || q.length() < 2) {
      return out;
    }
    for (String part : q.substring(1).split("&")) {
      String[] kv = part.split("=", 2);
      out.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
          .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return out;
  }

  private static String notFound(String kind, String name) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\""
        + kind
        + " \\\""
        + name
        + "\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\""
        + name
        + "\",\"kind\":\""
        + kind
        + "\"},\"code\":404}";
  }

  private static String random(int n) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return out.toString();
  }

  @Override
  public void close() {
    running = false;
    controller.interrupt();
    client.close();
    server.destroy();
  }
}
