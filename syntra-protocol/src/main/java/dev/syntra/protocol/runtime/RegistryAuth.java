package dev.syntra.protocol.runtime;

import dev.syntra.protocol.internal.Checks;

/**
 * Credentials for pulling from a private registry ({@code server}, e.g. {@code
 * registry.example.com:5000}). {@link #toString()} never shows the password.
 */
public record RegistryAuth(String server, String username, String password) {
  public RegistryAuth {
    Checks.notBlank(server, "server");
    Checks.notBlank(username, "username");
    Checks.notNull(password, "password");
  }

  @Override
  public String toString() {
    return "RegistryAuth[server=" + server + ", username=" + username + ", password=***]";
  }
}
