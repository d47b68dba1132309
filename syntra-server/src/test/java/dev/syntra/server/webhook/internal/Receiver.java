package dev.syntra.server.webhook.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real webhook receiver on 127.0.0.1 (ephemeral port): records every request and answers from a
 * per-path script, then with the path's default answer (204 unless set).
 */
final class Receiver implements AutoCloseable {
  /** A received request; header names are lower case. */
  record Request(String path, Map<String, String> headers, String body, Instant receivedAt) {
    String header(String name) {
      return headers.getOrDefault(name, "");
    }
  }

  /** What to answer. */
  record Answer(int status, Map<String, String> headers, String body) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), "");
    }

    static Answer of(int status, String body) {
      return new Answer(status, Map.of(), body);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Answer>> scripts = new HashMap<>();
  private final Map<String, Answer> defaults = new HashMap<>();

  private Receiver(HttpServer server) {
    this.server = server;
  }

  static Receiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      Receiver receiver = new Receiver(server);
      server.createContext("/", receiver::handle);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A URL on this receiver. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers the next requests to {@code path} with {@code answers}, in order. */
  synchronized void script(String path, Answer... answers) {
    scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
  }

  /** Answers requests to {@code path} with {@code answer} once its script is used up. */
  synchronized void answerByDefault(String path, Answer answer) {
    defaults.put(path, answer);
  }

  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  private synchronized Answer next(String path) {
    Deque<Answer> script = scripts.get(path);
    Answer scripted = script == null ? null : script.poll();
    return scripted != null ? scripted : defaults.getOrDefault(path, Answer.of(204));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new HashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
      String path = exchange.getRequestURI().getPath();
      requests.add(new Request(path, headers, body, Instant.now()));
      Answer answer = next(path);
      answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
