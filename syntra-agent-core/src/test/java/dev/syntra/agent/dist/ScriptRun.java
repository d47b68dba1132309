package dev.syntra.agent.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Runs a shell command and captures its exit code and output, with a bounded wait. */
record ScriptRun(int exitCode, String stdout, String stderr) {

  static ScriptRun run(List<String> command) throws IOException, InterruptedException {
    return run(command, null, null);
  }

  static ScriptRun run(List<String> command, @Nullable Path stdin, @Nullable Path workDir)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("script-out", ".txt");
    Path err = Files.createTempFile("script-err", ".txt");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(new ArrayList<>(command))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      if (stdin != null) {
        builder.redirectInput(stdin.toFile());
      } else {
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      }
      if (workDir != null) {
        builder.directory(workDir.toFile());
      }
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("did not finish within 120 s: " + command);
      }
      return new ScriptRun(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  String all() {
    return stdout + stderr;
  }
}
