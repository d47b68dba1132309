package dev.syntra.runtime.k8s;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The simulated kubelet's side of one exec session, in the Kubernetes channel protocol (first byte
 * of each binary frame: 1 stdout, 2 stderr, 3 status). The command really runs, in a throwaway
 * container of the pod's image with the pod's env and no network; closing the session removes it.
 */
final class SimExec extends WebSocketListener {
  private final SimulatedCluster cluster;
  private final Pod pod;
  private final List<String> command;
  private final String containerName =
      "syntra-k8s-sim-exec-" + ThreadLocalRandom.current().nextInt(1 << 30);
  private volatile Process process;

  SimExec(SimulatedCluster cluster, Pod pod, List<String> command) {
    this.cluster = cluster;
    this.pod = pod;
    this.command = command;
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    cluster.recordExec(command);
    Thread.ofVirtual().name("sim-exec").start(() -> run(ws));
  }

  private void run(WebSocket ws) {
    try {
      List<String> argv =
          new ArrayList<>(
              List.of(
                  "docker",
                  "run",
                  "--rm",
                  "-i=false",
                  "--network",
                  "none",
                  "--name",
                  containerName));
      for (Map.Entry<String, String> e : cluster.env(pod).entrySet()) {
        argv.add("-e");
        argv.add(e.getKey() + "=" + e.getValue());
      }
      argv.add("--entrypoint");
      argv.add(command.getFirst());
      argv.add(pod.getSpec().getContainers().getFirst().getImage());
      argv.addAll(command.subList(1, command.size()));
      Process p = new ProcessBuilder(argv).start();
      process = p;
      Thread err = Thread.ofVirtual().start(() -> pump(p.getErrorStream(), ws, 2));
      pump(p.getInputStream(), ws, 1);
      err.join();
      int code = p.waitFor();
      String status =
          code == 0
              ? "{\"metadata\":{},\"status\":\"Success\"}"
              : "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit code\","
                  + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                  + code
                  + "\"}]}}";
      send(ws, 3, status.getBytes(StandardCharsets.UTF_8), status.length());
      ws.close(1000, "done");
    } catch (IOException | InterruptedException e) {
      ws.close(1011, e.toString());
    }
  }

  private static void pump(InputStream in, WebSocket ws, int channel) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        send(ws, channel, buf, n);
      }
    } catch (IOException e) {
      // process gone
    }
  }

  private static void send(WebSocket ws, int channel, byte[] data, int length) {
    byte[] frame = new byte[length + 1];
    frame[0] = (byte) channel;
    System.arraycopy(data, 0, frame, 1, length);
    ws.send(frame);
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    kill();
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    kill();
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    kill();
  }

  private void kill() {
    Process p = process;
    if (p != null && p.isAlive()) {
      try {
        new ProcessBuilder("docker", "rm", "-f", containerName)
            .redirectErrorStream(true)
            .start()
            .waitFor(20, TimeUnit.SECONDS);
      } catch (IOException e) {
        // best effort
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      p.destroy();
    }
  }

  @Override
  public String toString() {
    return "SimExec" + Arrays.toString(command.toArray());
  }
}
