package dev.syntra.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Dotenv} against compose-go's fixtures and line cases (expected values from its {@code
 * godotenv_test.go}), for the syntax we support; the cases we deliberately refuse are checked to
 * fail with their line number. Plus the writer: {@code parse(write(x)) == x}.
 */
class DotenvTest {

  private static Map<String, String> parse(String document) {
    Map<String, String> vars = new LinkedHashMap<>();
    Dotenv.parse(document).forEach(e -> vars.put(e.key(), e.value()));
    return vars;
  }

  private static Map<String, String> fixture(String name) {
    return parse(ComposeDotenvFixtures.get(name));
  }

  /** The fixture without the given 1-based lines (to read what is left of a refused file). */
  private static Map<String, String> fixtureWithout(String name, int... lines) {
    List<String> kept = new ArrayList<>(List.of(ComposeDotenvFixtures.get(name).split("\n", -1)));
    for (int i = lines.length - 1; i >= 0; i--) {
      kept.remove(lines[i] - 1);
    }
    return parse(String.join("\n", kept));
  }

  private static void assertRefusedAt(String document, int line, String problem) {
    assertThatThrownBy(() -> Dotenv.parse(document))
        .isInstanceOfSatisfying(
            Dotenv.SyntaxException.class,
            e -> {
              assertThat(e.line()).isEqualTo(line);
              assertThat(e.getMessage()).startsWith("line " + line + ": ").contains(problem);
            });
  }

  @Test
  void embeddedFixturesAreVerbatimCopiesOfComposeGo() throws IOException {
    Optional<Path> corpus = ComposeDotenvFixtures.corpus();
    // A conformance corpus is not an engine: a checkout without it (e.g. a CI clone on its own)
    // skips this comparison with the reason, even with CI=true; the embedded copies still run.
    Assumptions.assumeTrue(
        corpus.isPresent(),
        "no compose-go checkout (corpora/compose-go or shared/corpora/compose-go) above "
            + Path.of("").toAbsolutePath()
            + ": the embedded copies cannot be compared with the originals");
    try (var files = Files.list(corpus.get())) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).containsExactlyInAnyOrderElementsOf(ComposeDotenvFixtures.FILES.keySet());
      for (String name : names) {
        assertThat(ComposeDotenvFixtures.get(name))
            .as(name)
            .isEqualTo(ComposeDotenvFixtures.original(corpus.get(), name));
      }
    }
  }

  @Test
  void readsQuotedFixtureAsComposeDoes() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("OPTION_A", "1");
    expected.put("OPTION_B", "2");
    expected.put("OPTION_C", "");
    expected.put("OPTION_D", "\\n");
    expected.put("OPTION_E", "1");
    expected.put("OPTION_F", "2");
    expected.put("OPTION_G", "");
    expected.put("OPTION_H", "\n");
    expected.put("OPTION_I", "echo 'asd'");
    expected.put("OPTION_J", "first line\nsecond line\nthird line\nand so on");
    expected.put("OPTION_K", "Let's go!");
    expected.put("OPTION_Z", "last value");
    assertThat(fixture("quoted.env")).containsExactlyEntriesOf(expected);
  }

  @Test
  void readsUnquotedFixtureAsComposeDoes() {
    assertThat(fixture("unquoted.env"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "OPTION_A", "some quoted phrase",
                "OPTION_B", "first one with an unquoted phrase",
                "OPTION_C", "then another one with an unquoted phrase",
                "OPTION_D", "then another one with an unquoted phrase special è char",
                "OPTION_E", "then another one quoted phrase"));
  }

  @Test
  void readsExportedAndEqualsFixturesAsComposeDoes() {
    assertThat(fixture("exported.env"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("OPTION_A", "2", "OPTION_B", "\\n"));
    assertThat(fixture("equals.env"))
        .containsExactlyEntriesOf(
            Map.of("OPTION_A", "postgres://localhost:5432/database?sslmode=disable"));
  }

  @Test
  void plainFixturesRefuseAKeyStartingWithADigitAndReadTheRestAsComposeDoes() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("OPTION_A", "1");
    expected.put("OPTION_B", "2");
    expected.put("OPTION_C", "3");
    expected.put("OPTION_D", "4");
    expected.put("OPTION_E", "5");
    expected.put("OPTION_F", "");
    expected.put("OPTION_G", "");
    expected.put("OPTION_H", "my string");
    for (String name : List.of("plain.env", "utf8-bom.env")) {
      assertRefusedAt(ComposeDotenvFixtures.get(name), 6, "invalid key '456'");
      assertThat(fixtureWithout(name, 6)).as(name).containsExactlyEntriesOf(expected);
    }
  }

  @Test
  void invalidFixtureFailsOnItsSeventhLine() {
    assertRefusedAt(ComposeDotenvFixtures.get("invalid1.env"), 7, "a key cannot contain spaces");
    assertThat(fixtureWithout("invalid1.env", 7))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("foo", "\n  a\n  multine\n  value\n", "zot", "qix"));
  }

  @Test
  void refusesKeysWithDotsOrDashes() {
    assertRefusedAt(ComposeDotenvFixtures.get("special.env"), 1, "invalid key 'VAR.WITH.DOTS'");
    assertRefusedAt(fixtureText("special.env", 3), 1, "invalid key 'VAR-WITH-DASHES'");
    assertThat(fixtureWithout("special.env", 1, 3))
        .containsExactlyEntriesOf(Map.of("VAR_WITH_UNDERSCORES", "underscores"));
  }

  @Test
  void refusesTheYamlFormAndVariablesInheritedFromTheEnvironment() {
    assertRefusedAt(ComposeDotenvFixtures.get("custom.format"), 1, "not KEY: value");
    assertRefusedAt(ComposeDotenvFixtures.get("inherited-single-var.env"), 1, "has no '='");
    assertRefusedAt(ComposeDotenvFixtures.get("inherited-not-found.env"), 1, "has no '='");
    assertRefusedAt(
        ComposeDotenvFixtures.get("inherited-multi-var.env"),
        2,
        "'VAR_TO_BE_LOADED_FROM_OS_ENV' has no '='");
  }

  @Test
  void keepsShellSubstitutionsLiterally() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("OPTION_A", "1");
    expected.put("OPTION_B", "${OPTION_A}");
    expected.put("OPTION_C", "$OPTION_B");
    expected.put("OPTION_D", "${OPTION_A}_${OPTION_B}");
    expected.put("OPTION_E", "${OPTION_NOT_DEFINED}");
    assertThat(fixture("substitutions.env")).containsExactlyEntriesOf(expected);
    assertThat(fixture("substitutions-default.env")).containsEntry("OPTION_A", "${OPTION_A:-1}");
  }

  @Test
  void readsComposeLineCases() {
    String[][] cases = {
      {"FOO=bar", "FOO", "bar"},
      {"FOO =bar", "FOO", "bar"},
      {"FOO= bar", "FOO", "bar"},
      {"FOO=\"bar\"", "FOO", "bar"},
      {"FOO='bar'", "FOO", "bar"},
      {"FOO=\"escaped\\\"bar\"", "FOO", "escaped\"bar"},
      {"FOO=\"\\\"quoted\\\"\"", "FOO", "\"quoted\""},
      {"FOO=\"'d'\"", "FOO", "'d'"},
      {"OPTION_A=1:B", "OPTION_A", "1:B"},
      {"export OPTION_A=2", "OPTION_A", "2"},
      {"export OPTION_B='\\n'", "OPTION_B", "\\n"},
      {"export exportFoo=2", "exportFoo", "2"},
      {"exportFOO=2", "exportFOO", "2"},
      {"export_FOO =2", "export_FOO", "2"},
      {"export\tOPTION_A=2", "OPTION_A", "2"},
      {"  export OPTION_A=2", "OPTION_A", "2"},
      {"\texport OPTION_A=2", "OPTION_A", "2"},
      {"export OPTION_A=\"export A\"", "OPTION_A", "export A"},
      {"FOO=\"bar\\nbaz\"", "FOO", "bar\nbaz"},
      {"FOO=a\\tb", "FOO", "a\\tb"},
      {"FOO=\"a\\tb\"", "FOO", "a\tb"},
      {"FOO=foobar=", "FOO", "foobar="},
      {"FOO=bar ", "FOO", "bar"},
      {"FOO=bar # this is foo", "FOO", "bar"},
      {"FOO=bar #this is foo", "FOO", "bar"},
      {"FOO=bar #", "FOO", "bar"},
      {"FOO=123#not-an-inline-comment", "FOO", "123#not-an-inline-comment"},
      {"FOO=\"bar#baz\"", "FOO", "bar#baz"},
      {"FOO=\"bar#baz\"#", "FOO", "bar#baz"},
      {"FOO=\"bar#baz\" # comment", "FOO", "bar#baz"},
      {"FOO='bar#baz' # comment", "FOO", "bar#baz"},
      {"FOO=\"bar#baz#bang\" # comment", "FOO", "bar#baz#bang"},
      {"FOO=\"ba#r\"", "FOO", "ba#r"},
      {"FOO='ba#r'", "FOO", "ba#r"},
      {"FOO=\"bar\\nbaz\\\\\"", "FOO", "bar\nbaz\\"},
      {" KEY =value", "KEY", "value"},
      {"   KEY=value", "KEY", "value"},
      {"\tKEY=value", "KEY", "value"},
      {"KEY=\"\\x07\"", "KEY", "\\x07"},
      {"KEY=\"\\u12e4\"", "KEY", "\\u12e4"},
      {"FOO=\"foo\\$BAR\"", "FOO", "foo$BAR"},
      {"BAR='quote $FOO'", "BAR", "quote $FOO"},
      {"TEST_URLS=\"a:3333\nb:443\"", "TEST_URLS", "a:3333\nb:443"},
    };
    for (String[] c : cases) {
      assertThat(parse(c[0])).as(c[0]).containsExactlyEntriesOf(Map.of(c[1], c[2]));
    }
  }

  @Test
  void keepsEchoStyleEscapesThatWeDoNotSupport() {
    // Compose turns \a into BEL and \0123 into 'S'; we keep them as written (documented).
    assertThat(parse("KEY=\"bar\\\\\\n\\ b\\az\"")).containsEntry("KEY", "bar\\\n\\ b\\az");
    assertThat(parse("KEY=\"\\0123\"")).containsEntry("KEY", "\\0123");
  }

  @Test
  void namesTheLineWhereAnUnterminatedQuoteStarts() {
    for (String value :
        List.of(
            "\"", "\"value", "\"value\\\"", "\"value'", "'", "'value", "'value\\'", "'value\"")) {
      assertRefusedAt("A=1\n\nKEY=" + value + "\nB=2\n", 3, "unterminated");
    }
  }

  @Test
  void refusesMalformedLinesWithTheirNumber() {
    assertRefusedAt("A=1\nlol$wut\n", 2, "invalid key 'lol$wut'");
    assertRefusedAt("A=1\n=\"value\"\n", 2, "expected KEY=value");
    assertRefusedAt("A=\"x\" y\n", 1, "after the closing quote");
    assertRefusedAt("A='multi\nline' trailing\n", 2, "after the closing quote");
    assertRefusedAt("A=1\nexport\n", 2, "'export' has no '='");
  }

  @Test
  void acceptsCrlfCommentsBlankLinesAndRepeatedKeys() {
    String document =
        "# header\r\n\r\n  # indented comment\r\nA=1\r\nB=\"two\r\nlines\"\r\nA=3\r\n";
    assertThat(parse(document))
        .containsExactlyInAnyOrderEntriesOf(Map.of("A", "3", "B", "two\nlines"));
    assertThat(Dotenv.parse(document)).extracting(Dotenv.Entry::line).containsExactly(4, 5, 7);
  }

  @Test
  void writerQuotesOnlyWhatNeedsIt() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("EMPTY", "");
    vars.put("URL", "postgres://u@db:5432/app?sslmode=disable");
    vars.put("SPACED", " a b ");
    vars.put("QUOTES", "say \"hi\" it's");
    vars.put("LINES", "a\nb\r\n\tc\\");
    vars.put("REF", "${{api.URL}}");
    assertThat(Dotenv.write(vars))
        .isEqualTo(
            "EMPTY=\n"
                + "URL=postgres://u@db:5432/app?sslmode=disable\n"
                + "SPACED=\" a b \"\n"
                + "QUOTES=\"say \\\"hi\\\" it's\"\n"
                + "LINES=\"a\\nb\\r\\n\\tc\\\\\"\n"
                + "REF=\"${{api.URL}}\"\n");
    assertThat(parse(Dotenv.write(vars))).containsExactlyEntriesOf(vars);
  }

  @Test
  void parsingWhatTheWriterWroteGivesBackAnyVariables() {
    Random random = new Random(20260121L);
    String specials = "\"'\\\n\r\t #$={}:`!\u000B\f\u00e8\uFEFF\u2028\u0000";
    for (int round = 0; round < 3000; round++) {
      Map<String, String> vars = new LinkedHashMap<>();
      int count = random.nextInt(6);
      for (int i = 0; i < count; i++) {
        vars.put(randomKey(random), randomValue(random, specials));
      }
      String document = Dotenv.write(vars);
      assertThat(parse(document))
          .as("round %d: %s", round, document)
          .containsExactlyEntriesOf(vars);
    }
  }

  @Test
  void supportedFixturesSurviveAWriteAndARead() {
    for (String name :
        List.of("equals.env", "exported.env", "quoted.env", "unquoted.env", "substitutions.env")) {
      Map<String, String> vars = fixture(name);
      assertThat(parse(Dotenv.write(vars))).as(name).containsExactlyEntriesOf(vars);
    }
  }

  private static String fixtureText(String name, int line) {
    return ComposeDotenvFixtures.get(name).split("\n")[line - 1] + "\n";
  }

  private static String randomKey(Random random) {
    String first = "ABCXYZ_abcxyz";
    String rest = first + "0123456789";
    StringBuilder key = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      key.append(rest.charAt(random.nextInt(rest.length())));
    }
    return key.toString();
  }

  private static String randomValue(Random random, String specials) {
    int length = random.nextInt(4) == 0 ? 0 : random.nextInt(40);
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0 -> value.append(specials.charAt(random.nextInt(specials.length())));
        case 1 -> value.appendCodePoint(0x20 + random.nextInt(0x5F));
        case 2 -> value.appendCodePoint(random.nextInt(0x1F600 - 0x80) + 0x80);
        default -> value.append((char) ('a' + random.nextInt(26)));
      }
    }
    return value.toString();
  }
}
