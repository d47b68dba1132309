package dev.syntra.protocol.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenFormatTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void generatesWellFormedUniqueTokensWithEnoughEntropy() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String token = TokenFormat.AGENT.generate(random);
      assertThat(token).startsWith("syn_tkn_").hasSize(44).matches("syn_tkn_[0-9A-Za-z]{36}");
      assertThat(TokenFormat.AGENT.isWellFormed(token)).isTrue();
      assertThat(seen.add(token)).isTrue();
    }
    assertThat(TokenFormat.RANDOM_CHARS * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(160);
  }

  @Test
  void checksumCatchesTyposAndTruncation() {
    String token = TokenFormat.AGENT.generate(random);
    char[] typo = token.toCharArray();
    typo[12] = typo[12] == 'a' ? 'b' : 'a';
    assertThat(TokenFormat.AGENT.isWellFormed(new String(typo))).isFalse();
    assertThat(TokenFormat.AGENT.isWellFormed(token.substring(0, 43))).isFalse();
    assertThat(TokenFormat.AGENT.isWellFormed(token + "x")).isFalse();
    assertThat(TokenFormat.AGENT.isWellFormed("syn_pat_" + token.substring(8))).isFalse();
    assertThat(TokenFormat.AGENT.isWellFormed(token.replace('_', '-'))).isFalse();
  }

  @Test
  void otherFamiliesUseTheirOwnPrefix() {
    TokenFormat pat = new TokenFormat("syn_pat_");
    String token = pat.generate(random);
    assertThat(pat.isWellFormed(token)).isTrue();
    assertThat(TokenFormat.AGENT.isWellFormed(token)).isFalse();
    assertThatThrownBy(() -> new TokenFormat("bad")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hashesForStorageAndComparesInConstantTime() {
    String token = TokenFormat.AGENT.generate(random);
    TokenHash hash = TokenHash.of(token);
    assertThat(hash.value()).startsWith("sha256:").hasSize(71).doesNotContain(token.substring(8));
    assertThat(hash.matches(token)).isTrue();
    assertThat(hash.matches(TokenFormat.AGENT.generate(random))).isFalse();
    assertThat(new TokenHash(hash.value())).isEqualTo(hash);
    assertThat(hash.toString()).doesNotContain(hash.value());
  }

  @Test
  void redactsForLogs() {
    String token = TokenFormat.AGENT.generate(random);
    assertThat(TokenFormat.redact(token)).isEqualTo(token.substring(0, 12) + "…");
  }
}
