package dev.syntra.server.command;

import dev.syntra.server.crypto.SecretBox;
import java.util.UUID;

/**
 * The convention for sealing queued agent commands ({@code agent_commands.ciphertext}, whose deploy
 * specs carry decrypted env vars) with {@link SecretBox}: associated data {@code
 * agent_command:<command id>}, under the organization's key of version {@code
 * agent_commands.key_version}. Key rotation re-seals those rows with it.
 */
public final class AgentCommandSecrets {
  private AgentCommandSecrets() {}

  /** The associated data binding a command's ciphertext to its row. */
  public static String associatedData(UUID commandId) {
    return "agent_command:" + commandId;
  }
}
