package dev.syntra.protocol.message;

import dev.syntra.protocol.internal.Checks;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Self-update to {@code version}: download {@code url}, check its SHA-256 (and Ed25519 signature
 * when given), swap atomically, restart.
 *
 * @param signature base64 Ed25519 signature of the artifact, or null when signing is off
 */
public record UpdateAgentCommand(
    String version, String url, String sha256, @Nullable String signature) implements Command {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public UpdateAgentCommand {
    Checks.notBlank(version, "version");
    Checks.notBlank(url, "url");
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw new IllegalArgumentException("url: must be an http(s) URL");
    }
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256: must be 64 lower-case hex digits");
    }
  }

  @Override
  public MessageType type() {
    return MessageType.UPDATE_AGENT;
  }
}
