package dev.syntra.agent.cli;

import dev.syntra.agent.state.IdentityStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where {@code syntra-agent run} finds its one-time registration token, first match wins: {@code
 * --token-file FILE} or {@code --token TOKEN} (one of the two), {@code $SYNTRA_AGENT_TOKEN}, then
 * {@code token_file} or {@code token} of the config file (one of the two). A file gives its first
 * line. {@code --token} works but puts the token on the command line, which every user of the
 * machine can read in {@code ps}: a note on stderr says so, and the packaging never uses it.
 *
 * <p>Once the agent is registered (its state directory has an identity) no token is needed: the
 * token file is not read, so deleting it after the first start is fine.
 */
final class RegistrationTokenSource {
  private RegistrationTokenSource() {}

  /**
   * The token to register with, or null when there is none or the agent is already registered.
   *
   * @throws IllegalArgumentException when both forms are given at one level, or a token file that
   *     is needed cannot be read or is empty
   */
  static @Nullable String resolve(
      @Nullable String flag,
      @Nullable Path flagFile,
      @Nullable String environment,
      ConfigFile config,
      Path stateDir,
      PrintStream err) {
    if (flag != null && flagFile != null) {
      throw new IllegalArgumentException("pass either --token or --token-file, not both");
    }
    if (config.get("token").isPresent() && config.get("token_file").isPresent()) {
      throw new IllegalArgumentException(
          "the config file sets both token and token_file; keep one of them");
    }
    if (flag != null) {
      err.println(
          "syntra-agent: note: other users can see --token in ps; use --token-file FILE or"
              + " $SYNTRA_AGENT_TOKEN instead");
    }
    if (Files.exists(stateDir.resolve(IdentityStore.FILE_NAME))) {
      return flag; // registered: the agent ignores any token (and says so); files are not read
    }
    if (flagFile != null) {
      return read(flagFile, "--token-file", err);
    }
    if (flag != null && !flag.isBlank()) {
      return flag.strip();
    }
    if (environment != null && !environment.isBlank()) {
      return environment.strip();
    }
    if (config.get("token_file").isPresent()) {
      return read(Path.of(config.get("token_file").get()), "token_file", err);
    }
    return config.get("token").map(String::strip).orElse(null);
  }

  private static String read(Path file, String setting, PrintStream err) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          setting + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    String token = lines.isEmpty() ? "" : lines.getFirst().strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException(
          setting + " " + file + " is empty; its first line must be the registration token");
    }
    warnIfOthersCanRead(file, err);
    return token;
  }

  private static void warnIfOthersCanRead(Path file, PrintStream err) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (mode.contains(PosixFilePermission.OTHERS_READ)) {
        err.println(
            "syntra-agent: note: every user can read the token file "
                + file
                + "; chmod 600 it (or delete it once the agent is registered)");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check.
    }
  }
}
