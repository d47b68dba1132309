package dev.syntra.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The layers of syntra-server's packages, lowest first. A package may use its own layer and the
 * layers below it, never one above: low-level pieces (plumbing, encryption, the event outbox) at
 * the bottom, the features that orchestrate them on top. Lower layers that must reach up do it
 * through an interface they own and a higher package implements (e.g. {@code auth.Memberships},
 * {@code fleet.AgentLinks}, {@code command.AgentReportListener}, {@code event.EventSubscriber}).
 */
final class ServerLayers {

  /** One layer: a name and its packages relative to the base ("" is the base package itself). */
  record Layer(String name, List<String> packages) {}

  static final List<Layer> LAYERS =
      List.of(
          new Layer("settings", List.of("")),
          new Layer("plumbing", List.of("api", "db", "cluster", "http")),
          new Layer("infrastructure", List.of("crypto", "event")),
          new Layer("access", List.of("auth", "audit")),
          new Layer("inventory", List.of("project", "fleet")),
          new Layer("tenancy", List.of("org", "service")),
          new Layer("payloads", List.of("secret", "command", "telemetry")),
          new Layer("edges", List.of("deploy", "hub", "webhook", "config")));

  private ServerLayers() {}

  /** No class of the server under {@code base} depends on a class of a higher layer. */
  static ArchRule layered(String base) {
    LayeredArchitecture architecture =
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
    for (Layer layer : LAYERS) {
      architecture = architecture.layer(layer.name()).definedBy(patterns(base, layer));
    }
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      String[] above =
          LAYERS.subList(i + 1, LAYERS.size()).stream().map(Layer::name).toArray(String[]::new);
      architecture = architecture.whereLayer(LAYERS.get(i).name()).mayOnlyBeAccessedByLayers(above);
    }
    architecture = architecture.whereLayer(LAYERS.getLast().name()).mayNotBeAccessedByAnyLayer();
    return architecture.as(
        "the packages of syntra-server form layers ("
            + describe()
            + ") with no dependency upwards");
  }

  /** Every class of the server under {@code base} is in a package of some layer. */
  static ArchRule everyPackageInALayer(String base) {
    String[] all =
        LAYERS.stream().flatMap(l -> Stream.of(patterns(base, l))).toArray(String[]::new);
    return classes()
        .that()
        .resideInAPackage(base + "..")
        .should()
        .resideInAnyPackage(all)
        .as("every package of syntra-server is placed in a layer of ServerLayers");
  }

  private static String[] patterns(String base, Layer layer) {
    List<String> patterns = new ArrayList<>();
    for (String pkg : layer.packages()) {
      patterns.add(pkg.isEmpty() ? base : base + "." + pkg + "..");
    }
    return patterns.toArray(String[]::new);
  }

  private static String describe() {
    return String.join(" < ", LAYERS.stream().map(l -> l.name() + " " + l.packages()).toList());
  }
}
