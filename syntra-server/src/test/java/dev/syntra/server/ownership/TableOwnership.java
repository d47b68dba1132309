package dev.syntra.server.ownership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks which package of the server queries which table: every SQL string in the sources (string
 * literals and text blocks, upper-case keywords as the server writes them) that names a table after
 * {@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE} or {@code TABLE} must sit in the package
 * that owns the table (or hold an explicit grant). A subpackage counts as its feature package
 * ({@code webhook.internal} is {@code webhook}).
 *
 * @param basePackage the server's base package, e.g. {@code dev.syntra.server}
 * @param owners table name to owning package, relative to the base ({@code "fleet"})
 * @param grants package to the foreign tables it may name, each with a reason in the caller
 */
record TableOwnership(
    String basePackage, Map<String, String> owners, Map<String, Set<String>> grants) {

  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "(?i)CREATE\\s+(?:UNLOGGED\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([a-z_][a-z0-9_]*)");
  private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
  private static final Pattern STRING = Pattern.compile("\"((?:\\\\.|[^\"\\\\\\n])*)\"");
  private static final Pattern TABLE_USE =
      Pattern.compile("\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+([a-z_][a-z0-9_]*)");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");

  /** One SQL use of a table outside its owner. */
  record Violation(Path file, String pkg, String table, String owner) {
    @Override
    public String toString() {
      return file + " (package " + pkg + ") names table " + table + ", owned by " + owner;
    }
  }

  /** The tables the migrations under {@code migrations} create. */
  static Set<String> tablesCreatedIn(Path migrations) {
    Set<String> tables = new TreeSet<>();
    for (Path file : files(migrations, ".sql")) {
      Matcher m = CREATE_TABLE.matcher(read(file));
      while (m.find()) {
        tables.add(m.group(1));
      }
    }
    return tables;
  }

  /** Tables in {@code tables} that have no owner here. */
  Set<String> unowned(Set<String> tables) {
    Set<String> missing = new TreeSet<>(tables);
    missing.removeAll(owners.keySet());
    return missing;
  }

  /** Every use of an owned table, in the Java sources under {@code sourceRoot}, by a non-owner. */
  List<Violation> violations(Path sourceRoot) {
    List<Violation> violations = new ArrayList<>();
    for (Path file : files(sourceRoot, ".java")) {
      String source = read(file);
      Matcher declared = PACKAGE.matcher(source);
      if (!declared.find() || !declared.group(1).startsWith(basePackage)) {
        continue;
      }
      String pkg = featurePackage(declared.group(1));
      Matcher use = TABLE_USE.matcher(sql(source));
      while (use.find()) {
        String table = use.group(1);
        String owner = owners.get(table);
        if (owner != null
            && !owner.equals(pkg)
            && !grants.getOrDefault(pkg, Set.of()).contains(table)) {
          violations.add(new Violation(sourceRoot.relativize(file), pkg, table, owner));
        }
      }
    }
    return violations;
  }

  /** {@code dev.syntra.server.webhook.internal} is {@code webhook}; the base itself is "". */
  private String featurePackage(String pkg) {
    String relative = pkg.equals(basePackage) ? "" : pkg.substring(basePackage.length() + 1);
    int dot = relative.indexOf('.');
    return dot < 0 ? relative : relative.substring(0, dot);
  }

  /** The contents of the file's string literals and text blocks, one after another. */
  private static String sql(String source) {
    StringBuilder out = new StringBuilder();
    Matcher blocks = TEXT_BLOCK.matcher(source);
    while (blocks.find()) {
      out.append(blocks.group(1)).append(' ');
    }
    Matcher strings = STRING.matcher(TEXT_BLOCK.matcher(source).replaceAll(" "));
    while (strings.find()) {
      // A space between literals: "... FROM" + " servers" still reads as SQL, and the end of one
      // statement never runs into the keyword of the next.
      out.append(strings.group(1)).append(' ');
    }
    return out.toString();
  }

  private static List<Path> files(Path root, String suffix) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
