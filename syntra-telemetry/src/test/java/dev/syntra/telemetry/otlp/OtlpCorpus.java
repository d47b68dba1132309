package dev.syntra.telemetry.otlp;

import dev.syntra.protocol.runtime.ContractEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The OTLP/JSON conformance corpus: {@code corpora/otlp} or {@code shared/corpora/otlp} under the
 * module directory or one of its ancestors (fixtures of opentelemetry-proto's examples and of the
 * OpenTelemetry Collector's pdata JSON tests). Tests skip with the reason when it is absent, and
 * fail instead with CI=true.
 */
final class OtlpCorpus {
  private static final List<String> CANDIDATES = List.of("corpora/otlp", "shared/corpora/otlp");

  private OtlpCorpus() {}

  static Path require() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (String candidate : CANDIDATES) {
        Path corpus = dir.resolve(candidate);
        if (Files.isDirectory(corpus.resolve("proto-examples"))) {
          return corpus;
        }
      }
    }
    ContractEngine.require(
        false,
        "no OTLP corpus (corpora/otlp or shared/corpora/otlp) above "
            + Path.of("").toAbsolutePath());
    throw new AssertionError("unreachable");
  }
}
