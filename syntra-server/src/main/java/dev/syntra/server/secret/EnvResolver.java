package dev.syntra.server.secret;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Resolves references between env vars (spec FR-7.2.3) inside one project:
 *
 * <ul>
 *   <li>{@code ${{service.VAR}}}: {@code VAR} of the service being resolved (its own variable, or
 *       the project's when it has none of its own). Only in service variables.
 *   <li>{@code ${{project.VAR}}}: the project-level variable {@code VAR}.
 *   <li>{@code ${{api.VAR}}}: {@code VAR} as the project's service named {@code api} sees it (its
 *       own, else the project's). The words {@code service} and {@code project} always mean the
 *       above, never a service of that name.
 *   <li>{@code ${{api.SYNTRA_INTERNAL_DNS}}} (and {@code ${{service.SYNTRA_INTERNAL_DNS}}}): that
 *       service's internal DNS name, {@code api.<project-slug>.internal}, which the runtime gives
 *       it on the project network. It takes precedence over a variable of that name.
 *   <li><code>$${{</code> is a literal <code>${{</code>: write {@code $${{api.URL}}} to pass the
 *       text {@code ${{api.URL}}} through unresolved. Nothing else is escaped.
 * </ul>
 *
 * <p>Referenced values are themselves resolved; a cycle fails with its path ({@code web.API_URL ->
 * api.URL -> web.API_URL}), as do references to unknown services or variables, chains deeper than
 * {@value #MAX_DEPTH} and values that would grow beyond {@value #MAX_RESOLVED_CHARS} characters.
 * Spaces inside the braces are allowed ({@code ${{ api.URL }}}).
 *
 * <p>Not thread-safe: one resolver per resolution (it memoizes what it resolved).
 */
public final class EnvResolver {
  /** The pseudo-variable naming a service's internal DNS name. */
  public static final String INTERNAL_DNS = "SYNTRA_INTERNAL_DNS";

  static final int MAX_DEPTH = 32;
  static final int MAX_RESOLVED_CHARS = 256 * 1024;

  /** Bound of a whole resolved environment, so many references to one big value stay cheap. */
  static final int MAX_ENVIRONMENT_CHARS = 1024 * 1024;

  private static final Pattern INNER =
      Pattern.compile("\\s*([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\\.([A-Za-z_][A-Za-z0-9_]*)\\s*");

  /** The variables of one project and its services, loaded on demand. */
  public interface Source {
    /** The project-level variables (decrypted). */
    Map<String, String> projectVars();

    /** The variables of the project's service named {@code name}, or null if there is none. */
    @Nullable Map<String, String> serviceVars(String name);

    /** The internal DNS name of the project's service named {@code name}, or null. */
    @Nullable String internalDns(String name);
  }

  /** A reference that cannot be resolved; the message says which, and why. */
  public static final class ReferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReferenceException(String message) {
      super(message, null, false, false);
    }
  }

  /** A variable where it is defined: in a service (by name), or in the project (null). */
  private record Node(@Nullable String service, String key) {
    @Override
    public String toString() {
      return (service == null ? "project" : service) + "." + key;
    }
  }

  /** A piece of a value: literal text, or a reference ({@code target} is null for literals). */
  private record Part(String text, @Nullable String target, @Nullable String key) {}

  private final Source source;
  private final Map<Node, String> resolved = new HashMap<>();
  private final LinkedHashSet<Node> path = new LinkedHashSet<>();

  public EnvResolver(Source source) {
    this.source = source;
  }

  /**
   * The environment of the service named {@code service}: project variables overlaid by its own,
   * every reference resolved, sorted by key.
   *
   * @throws ReferenceException if a reference cannot be resolved
   */
  public Map<String, String> resolveService(String service) {
    Map<String, String> own = serviceVarsOrFail(service);
    TreeSet<String> keys = new TreeSet<>(source.projectVars().keySet());
    keys.addAll(own.keySet());
    Map<String, String> env = new LinkedHashMap<>();
    long total = 0;
    for (String key : keys) {
      String value = resolve(own.containsKey(key) ? new Node(service, key) : new Node(null, key));
      total += key.length() + value.length();
      if (total > MAX_ENVIRONMENT_CHARS) {
        throw new ReferenceException(
            "the resolved environment of "
                + service
                + " is larger than "
                + MAX_ENVIRONMENT_CHARS
                + " characters");
      }
      env.put(key, value);
    }
    return env;
  }

  /**
   * Why {@code value} is not well-formed, or null when it is: every <code>${{</code> must open a
   * reference {@code ${{name.VAR}}} (or be escaped as <code>$${{</code>).
   */
  public static @Nullable String syntaxProblem(String value) {
    try {
      parse(value);
      return null;
    } catch (ReferenceException e) {
      return e.getMessage();
    }
  }

  private String resolve(Node node) {
    String done = resolved.get(node);
    if (done != null) {
      return done;
    }
    if (path.contains(node)) {
      List<Node> cycle = new ArrayList<>(path);
      throw new ReferenceException(
          "reference cycle: "
              + describe(cycle.subList(cycle.indexOf(node), cycle.size()))
              + " -> "
              + node);
    }
    if (path.size() >= MAX_DEPTH) {
      throw new ReferenceException(
          "references nest deeper than "
              + MAX_DEPTH
              + " levels: "
              + describe(path)
              + " -> "
              + node);
    }
    path.add(node);
    StringBuilder out = new StringBuilder();
    List<Part> parts;
    try {
      parts = parse(raw(node));
    } catch (ReferenceException e) {
      throw new ReferenceException(node + ": " + e.getMessage());
    }
    for (Part part : parts) {
      out.append(part.target() == null ? part.text() : target(node, part));
      if (out.length() > MAX_RESOLVED_CHARS) {
        throw new ReferenceException(
            node + " resolves to more than " + MAX_RESOLVED_CHARS + " characters");
      }
    }
    path.remove(node);
    String value = out.toString();
    resolved.put(node, value);
    return value;
  }

  /** The resolved value a reference in {@code from} points at. */
  private String target(Node from, Part ref) {
    String name = ref.target();
    String key = ref.key();
    if (name == null || key == null) {
      throw new IllegalStateException("not a reference");
    }
    if (name.equals("project")) {
      if (!source.projectVars().containsKey(key)) {
        throw unknown(from, ref, "the project has no variable " + key);
      }
      return resolve(new Node(null, key));
    }
    if (name.equals("service")) {
      if (from.service() == null) {
        throw new ReferenceException(
            from + " uses " + ref.text() + ", but project variables cannot use ${{service.…}}");
      }
      name = from.service();
    }
    Map<String, String> vars = source.serviceVars(name);
    if (vars == null) {
      throw unknown(from, ref, "the project has no service named '" + name + "'");
    }
    if (key.equals(INTERNAL_DNS)) {
      String dns = source.internalDns(name);
      if (dns == null) {
        throw unknown(from, ref, "service '" + name + "' has no internal DNS name");
      }
      return dns;
    }
    if (vars.containsKey(key)) {
      return resolve(new Node(name, key));
    }
    if (source.projectVars().containsKey(key)) {
      return resolve(new Node(null, key));
    }
    throw unknown(
        from, ref, "neither service '" + name + "' nor the project has a variable " + key);
  }

  private Map<String, String> serviceVarsOrFail(String service) {
    Map<String, String> own = source.serviceVars(service);
    if (own == null) {
      throw new ReferenceException("the project has no service named '" + service + "'");
    }
    return own;
  }

  private String raw(Node node) {
    Map<String, String> vars =
        node.service() == null ? source.projectVars() : serviceVarsOrFail(node.service());
    String value = vars.get(node.key());
    if (value == null) {
      throw new IllegalStateException(node + " was looked up without existing");
    }
    return value;
  }

  private static ReferenceException unknown(Node from, Part ref, String why) {
    return new ReferenceException(from + " references " + ref.text() + ", but " + why);
  }

  private static String describe(Iterable<Node> nodes) {
    List<String> names = new ArrayList<>();
    nodes.forEach(n -> names.add(n.toString()));
    return names.stream().collect(Collectors.joining(" -> "));
  }

  /** Splits a value into literal text and references; throws on a malformed <code>${{</code>. */
  private static List<Part> parse(String value) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      if (value.startsWith("$${{", i)) {
        literal.append("${{");
        i += 4;
      } else if (value.startsWith("${{", i)) {
        int close = value.indexOf("}}", i + 3);
        if (close < 0) {
          throw new ReferenceException(
              "'${{' at character "
                  + (i + 1)
                  + " is not closed with '}}' (write $${{ for a literal)");
        }
        String text = value.substring(i, close + 2);
        Matcher inner = INNER.matcher(value.substring(i + 3, close));
        if (!inner.matches()) {
          // The text itself is not echoed: it is part of a secret value.
          throw new ReferenceException(
              "the '${{…}}' at character "
                  + (i + 1)
                  + " is not a reference: use"
                  + " ${{service.VAR}}, ${{project.VAR}} or ${{<service-name>.VAR}}"
                  + " (write $${{ for a literal)");
        }
        if (!literal.isEmpty()) {
          parts.add(new Part(literal.toString(), null, null));
          literal.setLength(0);
        }
        parts.add(new Part(text, inner.group(1), inner.group(2)));
        i = close + 2;
      } else {
        literal.append(value.charAt(i));
        i++;
      }
    }
    if (!literal.isEmpty()) {
      parts.add(new Part(literal.toString(), null, null));
    }
    return parts;
  }
}
