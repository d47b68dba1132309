package dev.syntra.runtime.docker.internal.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the YAML subset {@link TraefikYaml} writes (block mappings and sequences,
 * double-quoted scalars, integers): any other construct, a tab, a bad indentation or a duplicate
 * key fails the test. It proves the file is well-formed YAML of the intended shape.
 */
final class TraefikYamlReader {
  private final List<String> lines;
  private int pos;

  private TraefikYamlReader(String text) {
    this.lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      assertThat(line).as("tabs are not YAML indentation").doesNotContain("\t");
      if (!line.isBlank() && !line.stripLeading().startsWith("#")) {
        lines.add(line);
      }
    }
  }

  static Map<String, Object> parse(String text) {
    assertThat(text).endsWith("\n");
    TraefikYamlReader yaml = new TraefikYamlReader(text);
    Map<String, Object> root = yaml.mapping(0);
    assertThat(yaml.pos).as("unparsed lines").isEqualTo(yaml.lines.size());
    return root;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> at(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      assertThat(current).isInstanceOf(Map.class);
      current = ((Map<String, Object>) current).get(key);
      assertThat(current).as("node " + key).isNotNull();
    }
    assertThat(current).isInstanceOf(Map.class);
    return (Map<String, Object>) current;
  }

  private static int indentOf(String line) {
    return line.length() - line.stripLeading().length();
  }

  private Object block(int parentIndent) {
    assertThat(pos).as("a nested block after line " + pos).isLessThan(lines.size());
    int indent = indentOf(lines.get(pos));
    assertThat(indent).as("nested block indentation").isGreaterThan(parentIndent);
    return lines.get(pos).substring(indent).startsWith("- ") ? sequence(indent) : mapping(indent);
  }

  private Map<String, Object> mapping(int indent) {
    Map<String, Object> map = new LinkedHashMap<>();
    while (pos < lines.size() && indentOf(lines.get(pos)) == indent) {
      String content = lines.get(pos).substring(indent);
      if (content.startsWith("- ")) {
        break;
      }
      int colon = keyEnd(content);
      String rawKey = content.substring(0, colon);
      String key = rawKey.startsWith("\"") ? unquote(rawKey) : rawKey;
      assertThat(key).matches("[A-Za-z0-9_.-]+");
      String rest = content.substring(colon + 1);
      pos++;
      Object value = rest.isEmpty() ? block(indent) : scalar(rest.substring(1));
      assertThat(rest.isEmpty() || rest.startsWith(" ")).isTrue();
      assertThat(map.put(key, value)).as("duplicate key " + key).isNull();
    }
    assertThat(pos == lines.size() || indentOf(lines.get(pos)) < indent)
        .as("indentation at line: " + (pos < lines.size() ? lines.get(pos) : ""))
        .isTrue();
    return map;
  }

  private List<Object> sequence(int indent) {
    List<Object> list = new ArrayList<>();
    while (pos < lines.size()
        && indentOf(lines.get(pos)) == indent
        && lines.get(pos).substring(indent).startsWith("- ")) {
      String content = lines.get(pos).substring(indent + 2);
      if (content.startsWith("\"") && content.endsWith("\"") && keyEnd(content) < 0) {
        list.add(unquote(content));
        pos++;
      } else {
        lines.set(pos, " ".repeat(indent + 2) + content);
        list.add(mapping(indent + 2));
      }
    }
    return list;
  }

  /** Index of the ':' ending the key, or -1 when the content is a lone quoted scalar. */
  private static int keyEnd(String content) {
    if (content.startsWith("\"")) {
      int close = closingQuote(content);
      return close + 1 < content.length() && content.charAt(close + 1) == ':' ? close + 1 : -1;
    }
    int colon = content.indexOf(':');
    assertThat(colon).as("a key in: " + content).isPositive();
    return colon;
  }

  private static Object scalar(String text) {
    if (text.startsWith("\"")) {
      return unquote(text);
    }
    assertThat(text).as("unquoted scalars are integers").matches("-?[0-9]+");
    return Long.parseLong(text);
  }

  private static int closingQuote(String text) {
    for (int i = 1; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        i++;
      } else if (text.charAt(i) == '"') {
        return i;
      }
    }
    throw new AssertionError("unterminated quoted scalar: " + text);
  }

  static String unquote(String text) {
    assertThat(closingQuote(text)).as("one quoted scalar: " + text).isEqualTo(text.length() - 1);
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < text.length() - 1; i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        assertThat(c).as("raw control character").isGreaterThanOrEqualTo(' ');
        out.append(c);
        continue;
      }
      char escape = text.charAt(++i);
      switch (escape) {
        case '\\', '"' -> out.append(escape);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'u' -> {
          out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw new AssertionError("unknown escape \\" + escape + " in " + text);
      }
    }
    return out.toString();
  }
}
