package dev.syntra.server.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A mutating endpoint names the check it makes: it never opens with {@code
 * require(Permission.READ)} and leaves the real check to a later call (STYLE.md, "say the check you
 * make"). Creating one's own token is the one mutation READ really governs.
 */
class MutatingEndpointChecksTest {
  private static final Pattern MUTATION =
      Pattern.compile(
          "@(Post|Put|Patch|Delete)Mapping\\b[^\\n]*\\n\\s*[\\w<>?,.\\s]+?\\s(\\w+)\\(");
  private static final String READ = "require(Permission.READ)";
  private static final Set<String> READ_IS_THE_CHECK = Set.of("TokensController.create");

  @Test
  void noMutatingEndpointChecksOnlyRead() throws IOException {
    assertThat(readFirst(Path.of("src/main/java"))).isEmpty();
  }

  @Test
  void theScanSeesEveryMutatingEndpoint() throws IOException {
    Pattern annotation = Pattern.compile("(?m)^\\s+@(Post|Put|Patch|Delete)Mapping\\b");
    int annotations = 0;
    int methods = 0;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path file : files.filter(p -> p.toString().endsWith("Controller.java")).toList()) {
        String source = Files.readString(file);
        annotations += (int) annotation.matcher(source).results().count();
        methods += (int) MUTATION.matcher(source).results().count();
      }
    }

    assertThat(methods).isEqualTo(annotations).isGreaterThanOrEqualTo(40);
  }

  @Test
  void anEndpointThatOpensWithReadIsFound() throws IOException {
    assertThat(readFirst(Path.of("src/test/resources/endpoint-checks-fixture")))
        .containsExactly("LaxController.delete");
  }

  /** Controller methods, as {@code Class.method}, whose mutation calls READ. */
  private static List<String> readFirst(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith("Controller.java")).toList()) {
        String source = Files.readString(file);
        String type = file.getFileName().toString().replace(".java", "");
        Matcher m = MUTATION.matcher(source);
        while (m.find()) {
          String name = type + "." + m.group(2);
          if (body(source, m.end()).contains(READ) && !READ_IS_THE_CHECK.contains(name)) {
            found.add(name);
          }
        }
      }
    }
    return found;
  }

  /** The method body that starts after {@code from}: from its first brace to the matching one. */
  private static String body(String source, int from) {
    int start = source.indexOf('{', from);
    int depth = 0;
    for (int i = start; i < source.length(); i++) {
      char c = source.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return source.substring(start, i + 1);
      }
    }
    return source.substring(start);
  }
}
