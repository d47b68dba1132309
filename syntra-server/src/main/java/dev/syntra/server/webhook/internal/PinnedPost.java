package dev.syntra.server.webhook.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 POST to an address that was checked: connects to exactly one of {@link
 * WebhookUrlPolicy.Target#addresses()} (never resolving the host again), while the {@code Host}
 * header, the TLS server name (SNI) and the certificate check use the URL's host name. The JDK's
 * HTTP client cannot do this: it resolves the host itself, after the policy looked at it.
 *
 * <p>Bounded in time (connect timeout per address, then one deadline for the whole exchange) and in
 * memory (16 KiB of response headers, {@value #MAX_BODY_BYTES} bytes of body). Blocking; an
 * interrupt closes the socket and surfaces as {@link InterruptedException}. Stateless.
 */
final class PinnedPost {
  /** A response: status, headers by lower-case name (first value), the start of the body. */
  record Response(int status, Map<String, String> headers, String body) {}

  /** The most of a response body read; the rest is never waited for. */
  static final int MAX_BODY_BYTES = 4096;

  private static final int MAX_HEADER_BYTES = 16 << 10;

  private final SSLContext tls;

  PinnedPost(SSLContext tls) {
    this.tls = tls;
  }

  Response send(
      WebhookUrlPolicy.Target target,
      Map<String, String> headers,
      byte[] body,
      int connectTimeoutMillis,
      long deadlineNanos)
      throws IOException, InterruptedException {
    try (Socket socket = open(connect(target, connectTimeoutMillis), target)) {
      Deadline deadline = new Deadline(socket, deadlineNanos);
      OutputStream out = socket.getOutputStream();
      out.write(head(target, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(new DeadlineInput(socket.getInputStream(), deadline));
    } catch (ClosedByInterruptException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedException("webhook delivery interrupted");
    }
  }

  /** Tries the checked addresses in order; only these, whatever DNS says now. */
  private static Socket connect(WebhookUrlPolicy.Target target, int timeoutMillis)
      throws IOException {
    IOException last = new ConnectException("no address to connect to");
    for (InetAddress address : target.addresses()) {
      // A channel's socket: blocking I/O on it is interruptible (the dispatcher stops that way).
      Socket socket = SocketChannel.open().socket();
      try {
        socket.connect(new InetSocketAddress(address, target.port()), timeoutMillis);
        socket.setTcpNoDelay(true);
        return socket;
      } catch (ClosedByInterruptException e) {
        throw e;
      } catch (IOException e) {
        socket.close();
        last = e;
      }
    }
    throw last;
  }

  private Socket open(Socket socket, WebhookUrlPolicy.Target target) throws IOException {
    if (!target.https()) {
      return socket;
    }
    SSLSocket ssl =
        (SSLSocket) tls.getSocketFactory().createSocket(socket, target.host(), target.port(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate names the host
    if (!isIpLiteral(target.host())) {
      parameters.setServerNames(List.of(new SNIHostName(target.host())));
    }
    ssl.setSSLParameters(parameters);
    return ssl;
  }

  private static String head(WebhookUrlPolicy.Target target, Map<String, String> headers, int len) {
    String path =
        target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty()
            ? "/"
            : target.uri().getRawPath();
    String query = target.uri().getRawQuery();
    String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
    boolean defaultPort = target.port() == (target.https() ? 443 : 80);
    StringBuilder head = new StringBuilder(256);
    head.append("POST ").append(path).append(query == null ? "" : "?" + query);
    head.append(" HTTP/1.1\r\nHost: ").append(host);
    head.append(defaultPort ? "" : ":" + target.port()).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(len).append("\r\nConnection: close\r\n\r\n");
    return head.toString();
  }

  private static Response read(DeadlineInput in) throws IOException {
    while (true) {
      String[] lines = in.headerBlock(MAX_HEADER_BYTES).split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x response");
      }
      int status;
      try {
        status = Integer.parseInt(statusLine[1]);
      } catch (NumberFormatException e) {
        throw new IOException("unreadable HTTP status '" + statusLine[1] + "'");
      }
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.putIfAbsent(
              lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).strip());
        }
      }
      if (status >= 100 && status < 200) {
        continue; // interim (100 Continue): the real answer follows
      }
      return new Response(status, headers, body(in, status, headers));
    }
  }

  private static String body(DeadlineInput in, int status, Map<String, String> headers)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int max = MAX_BODY_BYTES;
    if (status == 204 || status == 304) {
      return "";
    }
    if (headers
        .getOrDefault("transfer-encoding", "")
        .toLowerCase(Locale.ROOT)
        .contains("chunked")) {
      int size;
      while (bytes.size() < max && (size = in.chunkSize()) > 0) {
        in.copy(bytes, Math.min(size, max - bytes.size()));
        if (bytes.size() >= max) {
          break;
        }
        in.skipLine();
      }
    } else if (headers.containsKey("content-length")) {
      long length;
      try {
        length = Long.parseLong(headers.get("content-length"));
      } catch (NumberFormatException e) {
        throw new IOException("unreadable Content-Length");
      }
      in.copy(bytes, (int) Math.min(length, max));
    } else {
      in.copyUntilEnd(bytes, max);
    }
    return bytes.toString(StandardCharsets.UTF_8).replace("\u0000", "");
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  /** Sets each read's timeout to what is left of the exchange's deadline. */
  private record Deadline(Socket socket, long deadlineNanos) {
    void beforeRead() throws IOException {
      long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new SocketTimeoutException("deadline reached");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }
  }

  /** A small buffered reader over the socket, every fill bounded by the deadline. */
  private static final class DeadlineInput {
    private final InputStream in;
    private final Deadline deadline;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    DeadlineInput(InputStream in, Deadline deadline) {
      this.in = in;
      this.deadline = deadline;
    }

    /** The next byte, or -1 at the end of the stream. */
    int next() throws IOException {
      if (position == limit) {
        deadline.beforeRead();
        int n = in.read(buffer);
        if (n <= 0) {
          return -1;
        }
        position = 0;
        limit = n;
      }
      return buffer[position++] & 0xff;
    }

    /** Everything up to the blank line that ends a header block, without it. */
    String headerBlock(int max) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = next();
        if (b < 0) {
          throw new IOException("the connection closed before the response headers ended");
        }
        head.write(b);
        matched =
            (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        if (head.size() > max) {
          throw new IOException("response headers larger than " + max + " bytes");
        }
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      return text.substring(0, text.length() - 4);
    }

    int chunkSize() throws IOException {
      String line = line(1024);
      int semicolon = line.indexOf(';');
      String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
      try {
        return Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("unreadable chunk size");
      }
    }

    void skipLine() throws IOException {
      line(1024);
    }

    private String line(int max) throws IOException {
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = next()) >= 0 && b != '\n') {
        if (b != '\r' && line.length() < max) {
          line.append((char) b);
        }
      }
      return line.toString();
    }

    void copy(ByteArrayOutputStream out, int count) throws IOException {
      for (int i = 0; i < count; i++) {
        int b = next();
        if (b < 0) {
          return;
        }
        out.write(b);
      }
    }

    void copyUntilEnd(ByteArrayOutputStream out, int max) throws IOException {
      int b;
      while (out.size() < max && (b = next()) >= 0) {
        out.write(b);
      }
    }
  }
}
