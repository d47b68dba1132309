package dev.syntra.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentInstallTest {
  private static final String TOKEN = "syn_tkn_MvOz7OM7a2qWqM6orPuhmXIUyg2bB73SFVnk";
  private static final String X86 = "ab".repeat(32);
  private static final String ARM = "cd".repeat(32);

  @TempDir Path tmp;

  @Test
  void derivesTheHubFromThePublicHostAndPassesTheTokenByFile() {
    AgentInstall install = new AgentInstall("https://syntra.example.com/", null);
    assertThat(install.hubUrl()).isEqualTo("wss://syntra.example.com:7443/agent/v1");
    assertThat(install.command(TOKEN))
        .isEqualTo(
            "t=$(mktemp) && printf '%s\\n' '"
                + TOKEN
                + "' >\"$t\" && curl -fsSL --proto =https https://syntra.example.com/install.sh"
                + " | sudo sh -s -- --url https://syntra.example.com"
                + " --endpoint wss://syntra.example.com:7443/agent/v1 --token-file \"$t\";"
                + " rm -f \"$t\"");
  }

  @Test
  void carriesTheCaFingerprintTheTarballChecksumsAndTheInsecureFlag() {
    String pin = "ef".repeat(32);
    Map<String, String> sums = new LinkedHashMap<>();
    sums.put("x86_64", X86);
    sums.put("aarch64", ARM);
    assertThat(
            new AgentInstall("https://syntra.example.com", null, true, 7443, pin, () -> sums)
                .command(TOKEN))
        .endsWith(
            "--token-file \"$t\" --ca-sha256 "
                + pin
                + " --sha256-x86_64 "
                + X86
                + " --sha256-aarch64 "
                + ARM
                + "; rm -f \"$t\"");
    assertThat(
            new AgentInstall("http://localhost:8080", null, false, 9443, null, Map::of)
                .command(TOKEN))
        .contains("curl -fsSL http://localhost:8080/install.sh")
        .endsWith(
            "--endpoint ws://localhost:9443/agent/v1 --token-file \"$t\" --allow-insecure-ws"
                + "; rm -f \"$t\"");
  }

  @Test
  void refusesPlainUrlsForHostsOtherThanLoopback() throws Exception {
    for (AgentInstall plain :
        List.of(
            new AgentInstall("http://syntra.example.com", null),
            new AgentInstall("https://syntra.example.com", "ws://10.0.0.5:9443/agents"),
            new AgentInstall("http://127.0.0.1.example.com", "wss://hub.example.com/a"))) {
      String command = plain.command(TOKEN);
      assertThat(command).doesNotContain(TOKEN).doesNotContain("curl");
      Run run = run(command, Map.of());
      assertThat(run.exitCode()).isNotZero();
      assertThat(run.stderr())
          .contains(
              "syntra: no install command:", "is plain http/ws for a host other than loopback")
          .contains("Set SYNTRA_PUBLIC_URL to an https:// URL");
    }
    for (String loopback :
        List.of("http://127.0.0.1:8080", "http://localhost", "http://[::1]:8080")) {
      assertThat(new AgentInstall(loopback, null, false, 7443, null, Map::of).command(TOKEN))
          .contains("--token-file");
    }
  }

  /**
   * Runs the command in {@code sh} with {@code curl} and {@code sudo} replaced by stubs: the
   * "installer" records its argv and the token file it was given. The token is in no argv, the file
   * is private to the user, and it is gone afterwards.
   */
  @Test
  void theCommandKeepsTheTokenOutOfEveryArgvAndRemovesTheFile() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path record = tmp.resolve("record");
    stub(bin.resolve("sudo"), "exec \"$@\"\n");
    stub(
        bin.resolve("curl"),
        "echo \"curl: $*\" >> "
            + record
            + "\nprintf '%s\\n' 'echo \"argv: $*\" >> "
            + record
            + "' 'while [ $# -gt 0 ]; do if [ \"$1\" = --token-file ]; then"
            + " stat -c %a \"$2\" >> "
            + record
            + "; cat \"$2\" >> "
            + record
            + "; echo \"$2\" >> "
            + record
            + "; fi; shift; done'\n");
    String command =
        new AgentInstall("https://syntra.example.com", null, true, 7443, X86, Map::of)
            .command(TOKEN);

    Run run =
        run(command, Map.of("PATH", bin + ":" + System.getenv("PATH"), "TMPDIR", tmp.toString()));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<String> lines = Files.readAllLines(record);
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0))
        .isEqualTo("curl: -fsSL --proto =https https://syntra.example.com/install.sh");
    assertThat(lines.get(1))
        .startsWith("argv: --url https://syntra.example.com")
        .contains("--token-file ");
    assertThat(String.join("\n", lines.subList(0, 2))).doesNotContain(TOKEN);
    assertThat(lines.get(2)).isEqualTo("600");
    assertThat(lines.get(3)).isEqualTo(TOKEN);
    assertThat(Path.of(lines.get(4))).doesNotExist();
  }

  @Test
  void keepsIpv6HostsBracketed() {
    assertThat(new AgentInstall("http://[2001:db8::1]:8080", "").hubUrl())
        .isEqualTo("wss://[2001:db8::1]:7443/agent/v1");
  }

  @Test
  void usesTheConfiguredHubUrl() {
    AgentInstall install =
        new AgentInstall("https://syntra.example.com", "ws://10.0.0.5:9443/agents");
    assertThat(install.hubUrl()).isEqualTo("ws://10.0.0.5:9443/agents");
  }

  @Test
  void refusesUrlsThatAreNotSafeInACommandLine() {
    assertThatThrownBy(() -> new AgentInstall("https://x.example.com/$(reboot)", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SYNTRA_PUBLIC_URL");
    assertThatThrownBy(() -> new AgentInstall("https://x.example.com", "https://hub"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SYNTRA_HUB_URL");
    assertThatThrownBy(() -> new AgentInstall("syntra.example.com", null))
        .isInstanceOf(IllegalStateException.class);
  }

  private record Run(int exitCode, String stderr) {}

  private Run run(String command, Map<String, String> env) throws Exception {
    Path err = tmp.resolve("stderr");
    ProcessBuilder builder =
        new ProcessBuilder("sh", "-c", command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void stub(Path file, String body) throws Exception {
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }
}
