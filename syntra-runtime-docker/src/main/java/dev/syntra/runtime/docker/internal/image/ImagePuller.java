package dev.syntra.runtime.docker.internal.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.syntra.protocol.runtime.ImageReference;
import dev.syntra.protocol.runtime.RegistryAuth;
import dev.syntra.protocol.runtime.RuntimeAdapterException;
import dev.syntra.runtime.docker.internal.daemon.DockerErrors;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls images (with registry credentials when given) and resolves the digest that pins them. A
 * reference with a digest that is already present locally is not pulled again, so a rollback works
 * while the registry is down. Thread-safe; blocks the caller for at most the pull timeout.
 */
public final class ImagePuller {
  private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);
  private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("sha512:[a-f0-9]{128}");

  private final DockerClient docker;
  private final Duration timeout;
  private final String daemon;

  public ImagePuller(DockerClient docker, Duration timeout, String daemon) {
    this.docker = docker;
    this.timeout = timeout;
    this.daemon = daemon;
  }

  /**
   * Checks what {@link ImageReference#parse} lets through but Docker refuses: digests must be
   * {@code sha256:} with 64 lower-case hex digits (or {@code sha512:} with 128).
   *
   * @throws RuntimeAdapterException.InvalidSpec with a message naming the bad part
   */
  public static ImageReference validate(String image) {
    ImageReference ref;
    try {
      ref = ImageReference.parse(image);
    } catch (IllegalArgumentException e) {
      throw new RuntimeAdapterException.InvalidSpec(e.getMessage());
    }
    String digest = ref.digest();
    if (digest != null && !SHA256.matcher(digest).matches() && !SHA512.matcher(digest).matches()) {
      throw new RuntimeAdapterException.InvalidSpec(
          "image: '"
              + image
              + "' is not a valid image reference for Docker: digest '"
              + digest
              + "' must be sha256: followed by 64 lower-case hex digits");
    }
    String registry = ref.registry();
    if (registry != null && registry.contains(":")) {
      int port = Integer.parseInt(registry.substring(registry.lastIndexOf(':') + 1));
      if (port < 1 || port > 65535) {
        throw new RuntimeAdapterException.InvalidSpec(
            "image: '" + image + "' names registry port " + port + ", which is not 1-65535");
      }
    }
    return ref;
  }

  /**
   * Makes {@code image} present locally and returns its digest: the registry digest of the pulled
   * manifest ({@code sha256:…}), or the local image id when the image has no registry digest.
   */
  public String pull(String image, @Nullable RegistryAuth auth) {
    ImageReference ref = validate(image);
    if (ref.digest() != null) {
      InspectImageResponse local = inspectOrNull(image);
      if (local != null) {
        log.debug("Image {} is present locally; not pulling", image);
        return ref.digest();
      }
    }
    String tag = ref.digest() != null ? ref.digest() : ref.tagOrLatest();
    PullImageCmd cmd = docker.pullImageCmd(ref.name()).withTag(tag);
    if (auth != null) {
      cmd =
          cmd.withAuthConfig(
              new AuthConfig()
                  .withRegistryAddress(auth.server())
                  .withUsername(auth.username())
                  .withPassword(auth.password()));
    }
    PullCallback callback = new PullCallback();
    try {
      cmd.exec(callback);
      if (!callback.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        callback.close();
        throw new RuntimeAdapterException.Timeout(
            "pulling image '" + image + "' did not finish within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.close();
      throw new RuntimeAdapterException.ImagePullFailed(image, "interrupted", e);
    } catch (RuntimeException e) {
      throw DockerErrors.mapPull(e, image, daemon);
    }
    Throwable error = callback.error.get();
    if (error != null) {
      throw DockerErrors.mapPull(error, image, daemon);
    }
    InspectImageResponse pulled = inspectOrNull(image);
    if (pulled == null) {
      throw new RuntimeAdapterException.ImagePullFailed(
          image, "the daemon reported success but the image is not present", null);
    }
    return digestOf(ref, pulled);
  }

  private @Nullable InspectImageResponse inspectOrNull(String image) {
    try {
      return docker.inspectImageCmd(image).exec();
    } catch (RuntimeException e) {
      if (DockerErrors.isNotFound(e)) {
        return null;
      }
      throw DockerErrors.map(e, "inspect image '" + image + "'", daemon);
    }
  }

  private static String digestOf(ImageReference ref, InspectImageResponse image) {
    if (ref.digest() != null) {
      return ref.digest();
    }
    List<String> repoDigests = image.getRepoDigests();
    String prefix = ref.name() + "@";
    if (repoDigests != null) {
      for (String candidate : repoDigests) {
        if (candidate.startsWith(prefix)) {
          return candidate.substring(prefix.length());
        }
      }
    }
    String id = image.getId();
    return id == null ? "unknown" : id.toLowerCase(Locale.ROOT);
  }

  /** Collects the outcome of a pull stream without docker-java's error logging. */
  private static final class PullCallback implements ResultCallback<PullResponseItem> {
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
    private final AtomicReference<@Nullable Closeable> stream = new AtomicReference<>();

    @Override
    public void onStart(Closeable closeable) {
      stream.set(closeable);
    }

    @Override
    public void onNext(PullResponseItem item) {
      if (item.isErrorIndicated()) {
        String message =
            item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                ? item.getErrorDetail().getMessage()
                : item.getError();
        error.compareAndSet(null, new DockerClientException(String.valueOf(message)));
      }
    }

    @Override
    public void onError(Throwable throwable) {
      error.compareAndSet(null, throwable);
      done.countDown();
    }

    @Override
    public void onComplete() {
      done.countDown();
    }

    @Override
    public void close() {
      Closeable c = stream.getAndSet(null);
      if (c != null) {
        try {
          c.close();
        } catch (IOException e) {
          // The stream is abandoned either way.
        }
      }
      done.countDown();
    }
  }
}
