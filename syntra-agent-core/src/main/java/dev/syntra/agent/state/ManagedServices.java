package dev.syntra.agent.state;

import dev.syntra.protocol.runtime.ServiceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The services this agent has deployed ({@code services.json}), so that every heartbeat reports
 * each of them, also after an agent restart. Bounded by {@link #MAX_SERVICES}. Thread-safe.
 */
public final class ManagedServices {
  /** File name inside the state directory. */
  public static final String FILE_NAME = "services.json";

  /** Upper bound of tracked services; a single host never runs more. */
  public static final int MAX_SERVICES = 10_000;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final Set<ServiceRef> services = new LinkedHashSet<>();

  private ManagedServices(Path file) {
    this.file = file;
  }

  /** Loads the list from {@code stateDir}; empty when the file does not exist yet. */
  public static ManagedServices open(Path stateDir) {
    ManagedServices managed = new ManagedServices(stateDir.resolve(FILE_NAME));
    managed.load();
    return managed;
  }

  /** Starts tracking {@code service}; durable when this returns. */
  public synchronized void add(ServiceRef service) throws IOException {
    if (services.contains(service)) {
      return;
    }
    if (services.size() >= MAX_SERVICES) {
      throw new IOException("the agent already manages " + MAX_SERVICES + " services");
    }
    services.add(service);
    save();
  }

  /** Stops tracking {@code service}; durable when this returns. */
  public synchronized void remove(ServiceRef service) throws IOException {
    if (services.remove(service)) {
      save();
    }
  }

  /** The tracked services in the order they were first deployed. */
  public synchronized List<ServiceRef> list() {
    return List.copyOf(services);
  }

  private void load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new StateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      JsonNode root = JSON.readTree(bytes);
      List<ServiceRef> loaded = new ArrayList<>();
      for (JsonNode node : root.path("services")) {
        loaded.add(
            new ServiceRef(
                node.path("organization").stringValue(),
                node.path("project").stringValue(),
                node.path("service").stringValue()));
      }
      services.addAll(loaded);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new StateException(
          file
              + " is corrupt ("
              + e.getMessage()
              + "). Delete it: the agent then reports only services it deploys from now on.",
          e);
    }
  }

  private void save() throws IOException {
    var root = JSON.createObjectNode();
    ArrayNode list = root.putArray("services");
    for (ServiceRef service : services) {
      list.addObject()
          .put("organization", service.organization())
          .put("project", service.project())
          .put("service", service.service());
    }
    AtomicFiles.write(file, JSON.writeValueAsBytes(root));
  }
}
