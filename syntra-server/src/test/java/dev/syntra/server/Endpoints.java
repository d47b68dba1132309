package dev.syntra.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Every REST endpoint the running server maps under {@code /api/v1}, read from Spring MVC itself,
 * so tests that walk them cover endpoints added later without being edited.
 */
public final class Endpoints {
  private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

  /** One method + path pattern, e.g. {@code PATCH /api/v1/services/{id}}. */
  public record Endpoint(String method, String pattern) {
    public boolean mutates() {
      return !method.equals("GET");
    }

    public boolean hasVariables() {
      return pattern.contains("{");
    }

    /**
     * The pattern with each variable replaced: {@code kindOf} names the kind of resource a variable
     * refers to (from its name and the path segment before it), {@code ids} gives an id per kind.
     */
    public String fill(Map<String, String> ids) {
      Matcher m = VARIABLE.matcher(pattern);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String kind = kindOf(pattern.substring(0, m.start()), m.group(1));
        String id = ids.get(kind);
        if (id == null) {
          throw new AssertionError(
              "No test resource of kind '"
                  + kind
                  + "' for "
                  + this
                  + ": teach the endpoint walkers"
                  + " (TenantIsolationTest, AccessControlTest) to create one");
        }
        m.appendReplacement(out, Matcher.quoteReplacement(id));
      }
      m.appendTail(out);
      return out.toString();
    }

    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  private Endpoints() {}

  public static List<Endpoint> of(RequestMappingHandlerMapping mapping) {
    List<Endpoint> out = new ArrayList<>();
    for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
      if (info.getPathPatternsCondition() == null) {
        continue;
      }
      for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
        String path = pattern.getPatternString();
        if (!path.startsWith("/api/v1/") || path.equals("/api/v1/openapi.json")) {
          continue;
        }
        for (RequestMethod method : info.getMethodsCondition().getMethods()) {
          out.add(new Endpoint(method.name(), path));
        }
      }
    }
    out.sort(Comparator.comparing(Endpoint::pattern).thenComparing(Endpoint::method));
    return out;
  }

  /**
   * The resource kind of a path variable: its name without {@code Id} ({@code projectId} is a
   * project), or for a bare {@code {id}} the singular of the collection before it ({@code
   * /services/{id}} is a service).
   */
  static String kindOf(String prefix, String variable) {
    if (!variable.equals("id")) {
      return variable.endsWith("Id") ? variable.substring(0, variable.length() - 2) : variable;
    }
    String[] segments = prefix.split("/");
    String collection = segments[segments.length - 1];
    return collection.endsWith("ies")
        ? collection.substring(0, collection.length() - 3) + "y"
        : collection.replaceAll("s$", "");
  }
}
