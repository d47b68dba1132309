package dev.syntra.server.crypto;

import dev.syntra.server.ServerSettings;
import dev.syntra.server.db.Tenancy;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The master key and the box that seals secrets with it, handed out only once every stored secret
 * is sealed under that key (see {@link MasterKeyRotation}).
 */
@Configuration(proxyBeanMethods = false)
class SecretsConfiguration {
  @Bean
  SecretBox secretBox(
      ServerSettings settings, Tenancy tenancy, Environment env, List<SealedRows> tables) {
    MasterKey current = MasterKey.load(settings);
    MasterKeyRotation.sealEverythingUnder(
        tenancy,
        tables,
        current,
        MasterKeyRotation.previous(env.getProperty("SYNTRA_MASTER_KEY_PREVIOUS")).orElse(null));
    return new SecretBox(current);
  }
}
