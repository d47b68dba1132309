package dev.syntra.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Rules about the build itself: the BOM manages exactly the published modules at the build's
 * version, every module with code is checked by the architecture rules, and only the root POM pins
 * versions.
 */
class BuildStructureTest {
  /** Root modules that are not published, so the BOM must not list them. */
  private static final Set<String> UNPUBLISHED =
      Set.of("bom", "syntra-server", "syntra-architecture-tests", "syntra-e2e-tests");

  // Surefire runs in the module directory.
  private static final Path ROOT_POM = Path.of("..", "pom.xml");
  private static final Path BOM_POM = Path.of("..", "bom", "pom.xml");
  private static final Path OWN_POM = Path.of("pom.xml");

  @Test
  void bomVersionEqualsRootVersion() throws Exception {
    String rootVersion = child(parse(ROOT_POM), "version").getTextContent().strip();
    String bomVersion = child(parse(BOM_POM), "version").getTextContent().strip();

    assertThat(bomVersion).isEqualTo(rootVersion);
  }

  @Test
  void bomManagesExactlyThePublishedModules() throws Exception {
    List<String> published =
        children(child(parse(ROOT_POM), "modules"), "module").stream()
            .map(module -> module.getTextContent().strip())
            .filter(module -> !UNPUBLISHED.contains(module))
            .toList();
    Element managed = child(child(parse(BOM_POM), "dependencyManagement"), "dependencies");
    List<String> listed =
        children(managed, "dependency").stream()
            .map(dependency -> child(dependency, "artifactId").getTextContent().strip())
            .toList();

    assertThat(published).isNotEmpty();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(published);
  }

  @Test
  void everyModuleWithCodeIsCheckedByTheArchitectureRules() throws Exception {
    List<String> withCode =
        modules().stream()
            .filter(module -> Files.isDirectory(Path.of("..", module, "src", "main", "java")))
            .filter(module -> !module.equals("syntra-architecture-tests"))
            .toList();
    List<String> dependencies =
        children(child(parse(OWN_POM), "dependencies"), "dependency").stream()
            .map(dependency -> child(dependency, "artifactId").getTextContent().strip())
            .toList();

    assertThat(withCode).contains("syntra-protocol");
    assertThat(dependencies)
        .as("add every module that has classes to syntra-architecture-tests/pom.xml")
        .containsAll(withCode);
  }

  @Test
  void modulePomsPinNoVersions() throws Exception {
    for (String module : modules()) {
      if (module.equals("bom")) {
        continue; // the BOM's whole job is versions of our own artifacts
      }
      Element project = parse(Path.of("..", module, "pom.xml"));
      for (String section : List.of("dependencies", "build")) {
        List<String> pinned =
            descendants(project, section).stream()
                .filter(e -> e.getTagName().equals("dependency") || e.getTagName().equals("plugin"))
                .filter(e -> !children(e, "version").isEmpty())
                .map(e -> child(e, "artifactId").getTextContent().strip())
                .toList();
        assertThat(pinned)
            .as("%s pins versions; pin them in the root pom instead", module)
            .isEmpty();
      }
    }
  }

  private static List<String> modules() throws Exception {
    return children(child(parse(ROOT_POM), "modules"), "module").stream()
        .map(module -> module.getTextContent().strip())
        .toList();
  }

  private static List<Element> descendants(Element parent, String sectionName) {
    List<Element> out = new ArrayList<>();
    for (Element section : children(parent, sectionName)) {
      collect(section, out);
    }
    return out;
  }

  private static void collect(Element element, List<Element> out) {
    for (Element child : children(element)) {
      out.add(child);
      collect(child, out);
    }
  }

  private static Element parse(Path pom)
      throws ParserConfigurationException, SAXException, IOException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
  }

  private static Element child(Element parent, String name) {
    List<Element> matches = children(parent, name);
    assertThat(matches).as("<%s> children of <%s>", name, parent.getTagName()).hasSize(1);
    return matches.getFirst();
  }

  private static List<Element> children(Element parent, String name) {
    return children(parent).stream().filter(e -> e.getNodeName().equals(name)).toList();
  }

  private static List<Element> children(Element parent) {
    return IntStream.range(0, parent.getChildNodes().getLength())
        .mapToObj(parent.getChildNodes()::item)
        .filter(node -> node.getNodeType() == Node.ELEMENT_NODE)
        .map(Element.class::cast)
        .toList();
  }
}
