package dev.syntra.server.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies (default 1 MiB): a declared larger {@code Content-Length} is refused with
 * 413 before reading, and a chunked body stops being read at the bound.
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {
  private final long maxBytes;

  public BodySizeLimitFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      Problems.write(response, tooLarge());
      return;
    }
    chain.doFilter(new Bounded(request, maxBytes, tooLarge()), response);
  }

  private ApiException tooLarge() {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE,
        "body_too_large",
        "the request body is larger than " + maxBytes + " bytes");
  }

  private static final class Bounded extends HttpServletRequestWrapper {
    private final long maxBytes;
    private final ApiException tooLarge;
    private ServletInputStream stream;

    /** Reading past the bound throws {@code tooLarge}, which the problem handler answers (413). */
    Bounded(HttpServletRequest request, long maxBytes, ApiException tooLarge) {
      super(request);
      this.maxBytes = maxBytes;
      this.tooLarge = tooLarge;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream in = super.getInputStream();
        stream =
            new ServletInputStream() {
              private long read;

              @Override
              public int read() throws IOException {
                int b = in.read();
                if (b >= 0 && ++read > maxBytes) {
                  throw tooLarge;
                }
                return b;
              }

              @Override
              public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0 && (read += n) > maxBytes) {
                  throw tooLarge;
                }
                return n;
              }

              @Override
              public boolean isFinished() {
                return in.isFinished();
              }

              @Override
              public boolean isReady() {
                return in.isReady();
              }

              @Override
              public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
              }
            };
      }
      return stream;
    }
  }
}
