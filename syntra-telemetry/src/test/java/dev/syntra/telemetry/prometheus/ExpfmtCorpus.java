package dev.syntra.telemetry.prometheus;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the {@code prometheus-expfmt} conformance corpus (the cases of {@code prometheus/common}
 * expfmt's text parser tests): {@code shared/corpora/prometheus-expfmt} under the working directory
 * or any ancestor. Without it the tests skip with a printed reason, except under {@code CI=true},
 * where they fail.
 */
final class ExpfmtCorpus {
  private static final String DIR = "shared/corpora/prometheus-expfmt";

  private ExpfmtCorpus() {}

  static Optional<Path> find() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(DIR);
      if (Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The corpus, or a skip (a failure under CI). */
  static Path require() {
    Optional<Path> corpus = find();
    if (corpus.isEmpty()) {
      String reason =
          "SKIPPED: no " + DIR + " above " + Path.of("").toAbsolutePath() + " (conformance corpus)";
      if ("true".equals(System.getenv("CI"))) {
        fail(reason + " but CI=true requires it");
      }
      System.out.println(reason);
      assumeTrue(false, reason);
    }
    return corpus.get();
  }

  /**
   * The bytes a corpus input stands for. The corpus was converted from Go string literals, which
   * turned Go's byte escapes ({@code "\xbd"}) into the code points U+0080..U+00FF; an input made
   * only of code points below U+0100 is therefore taken byte for byte (ISO-8859-1), any other as
   * UTF-8.
   */
  static byte[] bytes(String input) {
    boolean latin1 = input.chars().allMatch(c -> c < 0x100);
    return input.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }
}
