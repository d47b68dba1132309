package dev.syntra.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
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

/** The BOM must manage exactly the published modules, at the build's version. */
class BomListsEveryPublishedModuleTest {
  /** Root modules that are not published, so the BOM must not list them. */
  private static final Set<String> UNPUBLISHED =
      Set.of("bom", "syntra-server", "syntra-architecture-tests");

  // Surefire runs in the module directory.
  private static final Path ROOT_POM = Path.of("..", "pom.xml");
  private static final Path BOM_POM = Path.of("..", "bom", "pom.xml");

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
    return IntStream.range(0, parent.getChildNodes().getLength())
        .mapToObj(parent.getChildNodes()::item)
        .filter(node -> node.getNodeType() == Node.ELEMENT_NODE && node.getNodeName().equals(name))
        .map(Element.class::cast)
        .toList();
  }
}
