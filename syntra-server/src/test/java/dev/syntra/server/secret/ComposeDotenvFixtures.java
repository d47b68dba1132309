package dev.syntra.server.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dotenv fixtures of compose-spec/compose-go ({@code dotenv/fixtures/*} at e70e961,
 * Apache-2.0), copied verbatim (including the byte order mark and the trailing space of {@code
 * plain.env}) so the tests run anywhere; {@link DotenvTest} checks the copies against the originals
 * where the corpus is present.
 */
final class ComposeDotenvFixtures {
  /** Where the corpus sits below an ancestor of the module directory, in the two usual layouts. */
  private static final List<String> CORPUS_DIRS =
      List.of("corpora/compose-go", "shared/corpora/compose-go");

  private static final String FIXTURES = "dotenv/fixtures";

  /**
   * The original fixtures of a compose-go checkout found next to the repository: {@code
   * corpora/compose-go} or {@code shared/corpora/compose-go} under the module directory or any of
   * its ancestors. Empty when there is none.
   */
  static Optional<Path> corpus() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (String candidate : CORPUS_DIRS) {
        Path fixtures = dir.resolve(candidate).resolve(FIXTURES);
        if (Files.isDirectory(fixtures)) {
          return Optional.of(fixtures);
        }
      }
    }
    return Optional.empty();
  }

  static final Map<String, String> FILES =
      Map.ofEntries(
          Map.entry("custom.format", "FOO:BAR\n" + "ZOT:QIX"),
          Map.entry(
              "equals.env",
              "export OPTION_A='postgres://localhost:5432/database?sslmode=disable'\n" + "\n"),
          Map.entry("exported.env", "export OPTION_A=2\n" + "export OPTION_B='\\n'\n"),
          Map.entry(
              "inherited-multi-var.env",
              "foo=bar\n" + "VAR_TO_BE_LOADED_FROM_OS_ENV\n" + "bar=baz\n"),
          Map.entry("inherited-not-found.env", "VARIABLE_NOT_FOUND\n"),
          Map.entry("inherited-single-var.env", "VAR_TO_BE_LOADED_FROM_OS_ENV\n"),
          Map.entry(
              "invalid1.env",
              "# some comments\n"
                  + "foo=\"\n"
                  + "  a\n"
                  + "  multine\n"
                  + "  value\n"
                  + "\"\n"
                  + "INVALID LINE\n"
                  + "zot=qix"),
          Map.entry(
              "plain.env",
              "OPTION_A=1\n"
                  + "OPTION_B=2\n"
                  + "OPTION_C= 3\n"
                  + "OPTION_D =4\n"
                  + "OPTION_E = 5\n"
                  + "456 = ABC\n"
                  + "OPTION_F = \n"
                  + "OPTION_G=\n"
                  + "OPTION_H = my string # Inline comment\n"),
          Map.entry(
              "quoted.env",
              "OPTION_A='1'\n"
                  + "OPTION_B='2'\n"
                  + "OPTION_C=''\n"
                  + "OPTION_D='\\n'\n"
                  + "OPTION_E=\"1\"\n"
                  + "OPTION_F=\"2\"\n"
                  + "OPTION_G=\"\"\n"
                  + "OPTION_H=\"\\n\"\n"
                  + "OPTION_I = \"echo 'asd'\" # Inline comment\n"
                  + "OPTION_J = 'first line\n"
                  + "second line\n"
                  + "third line\n"
                  + "and so on'\n"
                  + "OPTION_K='Let\\'s go!'\n"
                  + "OPTION_Z = \"last value\"\n"),
          Map.entry(
              "special.env",
              "VAR.WITH.DOTS=dots\n"
                  + "VAR_WITH_UNDERSCORES=underscores\n"
                  + "VAR-WITH-DASHES=dashes\n"),
          Map.entry(
              "substitutions-default.env",
              "OPTION_A=${OPTION_A:-1}\n"
                  + "OPTION_B=${OPTION_A}\n"
                  + "OPTION_C=$OPTION_B\n"
                  + "OPTION_D=${OPTION_A}_${OPTION_B}\n"
                  + "OPTION_E=${OPTION_NOT_DEFINED}\n"),
          Map.entry(
              "substitutions.env",
              "OPTION_A=1\n"
                  + "OPTION_B=${OPTION_A}\n"
                  + "OPTION_C=$OPTION_B\n"
                  + "OPTION_D=${OPTION_A}_${OPTION_B}\n"
                  + "OPTION_E=${OPTION_NOT_DEFINED}\n"),
          Map.entry(
              "unquoted.env",
              "OPTION_A = \"some quoted phrase\"\n"
                  + "OPTION_B=first one with an unquoted phrase\n"
                  + "OPTION_C = then another one with an unquoted phrase\n"
                  + "OPTION_D = then another one with an unquoted phrase special \u00e8 char\n"
                  + "OPTION_E = \"then another one quoted phrase\"\n"),
          Map.entry(
              "utf8-bom.env",
              "\ufeffOPTION_A=1\n"
                  + "OPTION_B=2\n"
                  + "OPTION_C= 3\n"
                  + "OPTION_D =4\n"
                  + "OPTION_E = 5\n"
                  + "456 = ABC\n"
                  + "OPTION_F =\n"
                  + "OPTION_G=\n"
                  + "OPTION_H = my string # Inline comment\n"));

  private ComposeDotenvFixtures() {}

  static String get(String name) {
    String text = FILES.get(name);
    if (text == null) {
      throw new IllegalArgumentException("no fixture " + name);
    }
    return text;
  }

  static String original(Path corpus, String name) throws IOException {
    return Files.readString(corpus.resolve(name), StandardCharsets.UTF_8);
  }
}
