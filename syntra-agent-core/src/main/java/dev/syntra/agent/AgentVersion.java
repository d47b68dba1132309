package dev.syntra.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The agent's version, as sent in {@code agent_hello} and printed by {@code syntra-agent version}.
 */
public final class AgentVersion {
  private static final String POM_PROPERTIES =
      "/META-INF/maven/dev.syntra/syntra-agent-core/pom.properties";

  /** Used when the agent runs from a build directory rather than its jar. */
  static final String UNPACKAGED = "0.1.0-dev";

  private AgentVersion() {}

  /** The version from the jar's Maven metadata, or {@value #UNPACKAGED} outside a jar. */
  public static String current() {
    try (InputStream in = AgentVersion.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null && !version.isBlank()) {
          return version;
        }
      }
    } catch (IOException e) {
      // Fall through to the manifest.
    }
    String manifest = AgentVersion.class.getPackage().getImplementationVersion();
    return manifest == null || manifest.isBlank() ? UNPACKAGED : manifest;
  }
}
