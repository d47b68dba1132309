package dev.syntra.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Reference resolution (spec FR-7.2.3) over an in-memory project. */
class EnvResolverTest {
  /** A project "shop": project variables and services by name. */
  private static final class Project implements EnvResolver.Source {
    final Map<String, String> project = new LinkedHashMap<>();
    final Map<String, Map<String, String>> services = new HashMap<>();

    Project service(String name, String... keyValues) {
      Map<String, String> vars = new LinkedHashMap<>();
      for (int i = 0; i < keyValues.length; i += 2) {
        vars.put(keyValues[i], keyValues[i + 1]);
      }
      services.put(name, vars);
      return this;
    }

    Project shared(String key, String value) {
      project.put(key, value);
      return this;
    }

    Map<String, String> resolve(String service) {
      return new EnvResolver(this).resolveService(service);
    }

    @Override
    public Map<String, String> projectVars() {
      return project;
    }

    @Override
    public @Nullable Map<String, String> serviceVars(String name) {
      return services.get(name);
    }

    @Override
    public @Nullable String internalDns(String name) {
      return services.containsKey(name) ? name + ".shop.internal" : null;
    }
  }

  private static void assertFails(Project project, String service, String message) {
    assertThatThrownBy(() -> project.resolve(service))
        .isInstanceOf(EnvResolver.ReferenceException.class)
        .hasMessage(message);
  }

  @Test
  void boundsTheWholeResolvedEnvironment() {
    // Each value stays under the per-value bound, but many references to a big one would not.
    Project project = new Project().shared("A", "x".repeat(64 * 1024));
    project.shared("B", "${{project.A}}".repeat(4));
    for (int i = 0; i < 100; i++) {
      project.shared("C" + i, "${{project.B}}");
    }
    project.service("web");
    assertThatThrownBy(() -> project.resolve("web"))
        .isInstanceOf(EnvResolver.ReferenceException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void overlaysServiceVariablesOnProjectVariablesAndResolvesReferences() {
    Project shop =
        new Project()
            .shared("REGION", "eu")
            .shared("LOG_LEVEL", "info")
            .shared("SHARED_SECRET", "s3")
            .service(
                "postgres",
                "PASSWORD",
                "pw",
                "DATABASE_URL",
                "postgres://app:${{service.PASSWORD}}@${{service.SYNTRA_INTERNAL_DNS}}:5432/app")
            .service(
                "web",
                "LOG_LEVEL",
                "debug",
                "DATABASE_URL",
                "${{postgres.DATABASE_URL}}",
                "TOKEN",
                "${{ project.SHARED_SECRET }}-${{service.LOG_LEVEL}}",
                "WHERE",
                "${{postgres.REGION}}",
                "API_HOST",
                "${{api.SYNTRA_INTERNAL_DNS}}")
            .service("api");

    assertThat(shop.resolve("web"))
        .containsExactly(
            Map.entry("API_HOST", "api.shop.internal"),
            Map.entry("DATABASE_URL", "postgres://app:pw@postgres.shop.internal:5432/app"),
            Map.entry("LOG_LEVEL", "debug"),
            Map.entry("REGION", "eu"),
            Map.entry("SHARED_SECRET", "s3"),
            Map.entry("TOKEN", "s3-debug"),
            Map.entry("WHERE", "eu"));
  }

  @Test
  void projectVariablesMayReferenceServicesButNotTheServiceBeingDeployed() {
    Project shop =
        new Project().shared("API_URL", "http://${{api.SYNTRA_INTERNAL_DNS}}:${{api.PORT}}");
    shop.service("api", "PORT", "8080").service("web");
    assertThat(shop.resolve("web")).containsEntry("API_URL", "http://api.shop.internal:8080");

    shop.shared("SELF", "${{service.PORT}}");
    assertFails(
        shop,
        "web",
        "project.SELF uses ${{service.PORT}}, but project variables cannot use ${{service.…}}");
  }

  @Test
  void reportsACycleWithItsPath() {
    Project shop =
        new Project()
            .service("web", "API_URL", "http://${{api.URL}}/v1")
            .service("api", "URL", "${{web.API_URL}}");
    assertFails(shop, "web", "reference cycle: web.API_URL -> api.URL -> web.API_URL");

    Project self = new Project().service("web", "A", "${{service.A}}");
    assertFails(self, "web", "reference cycle: web.A -> web.A");

    Project viaProject =
        new Project()
            .shared("P", "${{web.B}}")
            .service("web", "A", "${{project.P}}", "B", "${{A}}x");
    // ${{A}} is not a reference (no scope): the write-time check refuses it; here it is literal
    // text inside a malformed reference and fails on its own.
    assertThatThrownBy(() -> viaProject.resolve("web")).hasMessageContaining("is not a reference");

    Project loop =
        new Project()
            .shared("P", "${{web.B}}")
            .service("web", "A", "${{project.P}}", "B", "${{service.A}}");
    assertFails(loop, "web", "reference cycle: web.A -> project.P -> web.B -> web.A");
  }

  @Test
  void namesUnknownServicesAndVariables() {
    Project shop = new Project().service("web", "DB", "${{postgress.URL}}").service("postgres");
    assertFails(
        shop,
        "web",
        "web.DB references ${{postgress.URL}}, but the project has no service named 'postgress'");

    shop.service("web", "DB", "${{postgres.URL}}");
    assertFails(
        shop,
        "web",
        "web.DB references ${{postgres.URL}}, but neither service 'postgres' nor the project has a"
            + " variable URL");

    shop.service("web", "DB", "${{project.URL}}");
    assertFails(
        shop, "web", "web.DB references ${{project.URL}}, but the project has no variable URL");

    shop.service("web", "DB", "${{service.URL}}");
    assertFails(
        shop,
        "web",
        "web.DB references ${{service.URL}}, but neither service 'web' nor the project has a"
            + " variable URL");
  }

  @Test
  void doubledDollarIsALiteralEscape() {
    Project shop =
        new Project()
            .service("web", "TEMPLATE", "$${{api.URL}} and $$ and $${{ and ${{api.URL}}")
            .service("api", "URL", "http://api");
    assertThat(shop.resolve("web"))
        .containsEntry("TEMPLATE", "${{api.URL}} and $$ and ${{ and http://api");
  }

  @Test
  void checksReferenceSyntaxWithoutEchoingTheValue() {
    assertThat(EnvResolver.syntaxProblem("plain $HOME ${VAR} {{x}}")).isNull();
    assertThat(EnvResolver.syntaxProblem("${{api.URL}}${{ project.X }}$${{")).isNull();
    assertThat(EnvResolver.syntaxProblem("abc${{api.URL"))
        .isEqualTo("'${{' at character 4 is not closed with '}}' (write $${{ for a literal)");
    assertThat(EnvResolver.syntaxProblem("x${{hunter2}}"))
        .startsWith("the '${{…}}' at character 2 is not a reference")
        .doesNotContain("hunter2");
    assertThat(EnvResolver.syntaxProblem("${{Api.URL}}")).isNotNull();
    assertThat(EnvResolver.syntaxProblem("${{api.1URL}}")).isNotNull();
  }

  @Test
  void boundsDepthAndSize() {
    Project deep = new Project();
    String[] vars = new String[2 * 40];
    for (int i = 0; i < 40; i++) {
      vars[2 * i] = "V" + i;
      vars[2 * i + 1] = i == 39 ? "end" : "${{service.V" + (i + 1) + "}}";
    }
    deep.service("web", vars);
    assertThatThrownBy(() -> deep.resolve("web"))
        .hasMessageStartingWith("references nest deeper than 32 levels: web.V0 -> web.V1");

    Project wide = new Project();
    String[] doubling = new String[2 * 20];
    for (int i = 0; i < 20; i++) {
      doubling[2 * i] = "D" + i;
      doubling[2 * i + 1] =
          i == 19 ? "x".repeat(1024) : "${{service.D" + (i + 1) + "}}${{service.D" + (i + 1) + "}}";
    }
    wide.service("web", doubling);
    assertThatThrownBy(() -> wide.resolve("web")).hasMessageContaining("resolves to more than");
  }
}
