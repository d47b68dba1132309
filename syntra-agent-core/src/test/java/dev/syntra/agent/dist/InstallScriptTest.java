package dev.syntra.agent.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code install.sh} from the sources, run with {@code sh}: its dry-run plan, its refusals, and the
 * unit it installs. Nothing here installs anything: every run is a dry run or stops at a check.
 */
class InstallScriptTest {
  static final Path DIST = Path.of("src/dist");
  static final Path SCRIPT = DIST.resolve("install.sh");
  static final String TOKEN = "syn_tkn_MvOz7OM7a2qWqM6orPuhmXIUyg2bB73SFVnk";
  static final String CA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  static final String ENDPOINT = "wss://syntra.example.com:7443/agent/v1";

  @TempDir Path tmp;

  @Test
  void dryRunPrintsEveryActionAndChangesNothing() throws Exception {
    Path prefix = tmp.resolve("opt/syntra-agent");
    Path state = tmp.resolve("state");

    ScriptRun run =
        install(
            "--dry-run",
            "--endpoint",
            ENDPOINT,
            "--token",
            TOKEN,
            "--ca-sha256",
            CA.toUpperCase(java.util.Locale.ROOT),
            "--url",
            "https://syntra.example.com",
            "--prefix",
            prefix.toString(),
            "--state-dir",
            state.toString());

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.stdout())
        .contains(
            "[dry-run] download https://syntra.example.com/downloads/syntra-agent-linux-",
            "[dry-run] create system user syntra-agent (group syntra-agent, home " + state,
            "[dry-run] create directory " + state + " (mode 0700, owner syntra-agent:syntra-agent)",
            "[dry-run] create directory /etc/syntra (mode 0750, owner root:syntra-agent)",
            "[dry-run] install the program into " + prefix,
            "[dry-run] write /etc/syntra/agent.conf (mode 0600, owner syntra-agent:syntra-agent)",
            "[dry-run]     endpoint=" + ENDPOINT,
            "[dry-run]     token=syn_tkn_MvOz… (redacted)",
            "[dry-run]     ca_sha256=" + CA,
            "[dry-run]     state_dir=" + state,
            "[dry-run] write /etc/systemd/system/syntra-agent.service (mode 0644, owner root)",
            "[dry-run] systemctl daemon-reload",
            "[dry-run] systemctl enable --now syntra-agent",
            "Dry run: nothing was changed.");
    assertThat(run.stdout()).containsAnyOf("add syntra-agent to group docker", "no docker group");
    List<String> unit = unitLines(run.stdout());
    assertThat(unit)
        .contains(
            "Type=notify",
            "NotifyAccess=all",
            "Restart=always",
            "RestartSec=5",
            "WatchdogSec=90",
            "OOMScoreAdjust=-500",
            "LimitNOFILE=65536",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "PrivateTmp=yes",
            "User=syntra-agent",
            "ReadWritePaths=" + state,
            "ExecStart=" + prefix + "/bin/syntra-agent run --config /etc/syntra/agent.conf");
    assertThat(String.join("\n", unit)).doesNotContain("@");
    assertThat(run.all()).doesNotContain(TOKEN);
    assertThat(prefix).doesNotExist();
    assertThat(state).doesNotExist();
  }

  @Test
  void refusesAMalformedToken() throws Exception {
    String truncated = TOKEN.substring(0, 40);

    ScriptRun run =
        install(
            "--dry-run",
            "--endpoint",
            ENDPOINT,
            "--token",
            truncated,
            "--url",
            "https://x.example");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .contains(
            "--token is malformed: expected syn_tkn_ followed by 36 letters and digits (44"
                + " characters), got 40 characters");
    assertThat(run.all()).doesNotContain(truncated);
    ScriptRun foreign =
        install(
            "--dry-run",
            "--endpoint",
            ENDPOINT,
            "--token",
            "ghp_abc",
            "--url",
            "https://x.example");
    assertThat(foreign.stderr()).contains("an agent registration token starts with syn_tkn_");
    assertThat(foreign.all()).doesNotContain("ghp_abc");
  }

  @Test
  void refusesAMissingEndpointOrToken() throws Exception {
    ScriptRun noEndpoint = install("--dry-run", "--token", TOKEN, "--url", "https://x.example");
    assertThat(noEndpoint.exitCode()).isEqualTo(1);
    assertThat(noEndpoint.stderr())
        .contains("--endpoint is missing: pass the agent hub URL, e.g. --endpoint wss://");
    assertThat(noEndpoint.all()).doesNotContain(TOKEN);

    ScriptRun noToken = install("--dry-run", "--endpoint", ENDPOINT, "--url", "https://x.example");
    assertThat(noToken.exitCode()).isEqualTo(1);
    assertThat(noToken.stderr()).contains("--token is missing");

    ScriptRun noValue = install("--dry-run", "--endpoint");
    assertThat(noValue.stderr()).contains("--endpoint needs a value");
  }

  @Test
  void acceptsPlainWebSocketOnlyWhenAllowedExplicitly() throws Exception {
    String ws = "ws://127.0.0.1:7443/agent/v1";

    ScriptRun refused =
        install("--dry-run", "--endpoint", ws, "--token", TOKEN, "--url", "https://x.example");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr())
        .contains("--endpoint uses ws:// (unencrypted")
        .contains("add --allow-insecure-ws");

    ScriptRun allowed =
        install(
            "--dry-run",
            "--endpoint",
            ws,
            "--token",
            TOKEN,
            "--allow-insecure-ws",
            "--url",
            "https://x.example/syntra-agent.tar.gz");
    assertThat(allowed.exitCode()).as(allowed.all()).isZero();
    assertThat(allowed.stdout())
        .contains("[dry-run] download https://x.example/syntra-agent.tar.gz")
        .contains("endpoint=" + ws, "allow_insecure_ws=true");

    ScriptRun http = install("--dry-run", "--endpoint", "https://x.example", "--token", TOKEN);
    assertThat(http.stderr()).contains("--endpoint must be a wss:// URL");
  }

  @Test
  void refusesABadCaFingerprintRuntimeOrPath() throws Exception {
    assertThat(
            install("--dry-run", "--endpoint", ENDPOINT, "--token", TOKEN, "--ca-sha256", "abc")
                .stderr())
        .contains("--ca-sha256 must be the 64 hex digit SHA-256");
    assertThat(
            install("--dry-run", "--endpoint", ENDPOINT, "--token", TOKEN, "--runtime", "podman")
                .stderr())
        .contains("--runtime must be docker or kubernetes, was: podman");
    assertThat(
            install("--dry-run", "--endpoint", ENDPOINT, "--token", TOKEN, "--prefix", "opt/x")
                .stderr())
        .contains("--prefix must be an absolute path");
    assertThat(install("--dry-run", "--endpoint", ENDPOINT, "--token", TOKEN).stderr())
        .contains("nothing to install: pass --url");
    assertThat(install("--dry-run", "--bogus").stderr()).contains("unknown option '--bogus'");
  }

  @Test
  void dryRunOfUninstallListsWhatItRemoves() throws Exception {
    ScriptRun keep = install("--dry-run", "--uninstall");
    assertThat(keep.exitCode()).as(keep.all()).isZero();
    assertThat(keep.stdout())
        .contains(
            "[dry-run] systemctl disable --now syntra-agent",
            "[dry-run] remove /etc/systemd/system/syntra-agent.service",
            "[dry-run] remove /opt/syntra-agent",
            "Kept /etc/syntra/agent.conf and /var/lib/syntra-agent");

    ScriptRun purge = install("--dry-run", "--uninstall", "--purge");
    assertThat(purge.stdout())
        .contains("[dry-run] remove /var/lib/syntra-agent", "[dry-run] delete user syntra-agent");
  }

  @Test
  void realInstallRefusesWithoutSystemd() throws Exception {
    assumeTrue(
        !Files.isDirectory(Path.of("/run/systemd/system")),
        "systemd runs on this host: a real install would install the agent, so it is not tried");

    ScriptRun run = install("--endpoint", ENDPOINT, "--token", TOKEN, "--url", "https://x.example");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .containsAnyOf(
            "must run as root: re-run with sudo",
            "systemd is not running on this host, so there is no service to install. Instead"
                + " unpack the tarball and run the agent under your own supervisor");
    assertThat(run.all()).doesNotContain(TOKEN);
  }

  /** As an unprivileged user, the script (piped into sh, as curl | sh does) refuses to install. */
  @Test
  void realInstallRefusesWithoutRoot() throws Exception {
    ScriptRun id = ScriptRun.run(List.of("id", "-u"));
    assumeTrue(
        id.stdout().strip().equals("0") && ScriptRun.onPath("setpriv"),
        "needs root and setpriv to run the script as an unprivileged user");
    List<String> asNobody =
        List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-s", "--");

    ScriptRun refused =
        pipe(asNobody, "--endpoint", ENDPOINT, "--token", TOKEN, "--url", "https://x.example");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("must run as root: re-run with sudo");

    ScriptRun dryRun =
        pipe(
            asNobody,
            "--dry-run",
            "--endpoint",
            ENDPOINT,
            "--token",
            TOKEN,
            "--url",
            "https://x.example");
    assertThat(dryRun.exitCode()).as(dryRun.all()).isZero();
    assertThat(dryRun.stdout())
        .contains("note: not running as root", "Dry run: nothing was changed.");
    assertThat(dryRun.all()).doesNotContain(TOKEN);
  }

  @Test
  void systemdAcceptsTheInstalledUnit() throws Exception {
    assumeTrue(
        ScriptRun.onPath("systemd-analyze"), "systemd-analyze is not installed (package systemd)");
    // systemd-analyze checks that ExecStart's program exists and is executable.
    Path prefix = tmp.resolve("prefix");
    Files.createDirectories(prefix.resolve("bin"));
    Path launcher = prefix.resolve("bin/syntra-agent");
    Files.copy(DIST.resolve("bin/syntra-agent"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    ScriptRun plan =
        install(
            "--dry-run",
            "--endpoint",
            ENDPOINT,
            "--token",
            TOKEN,
            "--url",
            "https://x.example",
            "--prefix",
            prefix.toString());
    assertThat(plan.exitCode()).as(plan.all()).isZero();
    Path unit = tmp.resolve("syntra-agent.service");
    Files.writeString(unit, String.join("\n", unitLines(plan.stdout())) + "\n");

    ScriptRun verify = ScriptRun.run(List.of("systemd-analyze", "verify", unit.toString()));

    assertThat(verify.exitCode()).as(verify.all()).isZero();
    // verify exits 0 on ignored (misspelt) settings: it only says so on stderr.
    assertThat(verify.all()).as("systemd-analyze verify output").doesNotContain(unit.toString());
  }

  @Test
  void launcherRunsTheBundledRuntimeWithFootprintFlags() throws Exception {
    String launcher = Files.readString(DIST.resolve("bin/syntra-agent"));
    assertThat(launcher)
        .startsWith("#!/bin/sh")
        .contains("$home/runtime/bin/java")
        .contains("-XX:+UseSerialGC -Xms16m -Xmx64m -Xss256k -XX:TieredStopAtLevel=1")
        .contains("-jar \"$home/lib/syntra-agent.jar\" \"$@\"");
    assertThat(
            ScriptRun.run(List.of("sh", "-n", DIST.resolve("bin/syntra-agent").toString()))
                .exitCode())
        .isZero();
  }

  static ScriptRun install(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
    command.addAll(Arrays.asList(args));
    return ScriptRun.run(command);
  }

  private static ScriptRun pipe(List<String> shell, String... args) throws Exception {
    List<String> command = new ArrayList<>(shell);
    command.addAll(Arrays.asList(args));
    return ScriptRun.run(command, SCRIPT, Path.of("/"));
  }

  /** The unit file as the dry run prints it. */
  static List<String> unitLines(String output) {
    List<String> lines = new ArrayList<>();
    boolean inUnit = false;
    for (String line : output.split("\n", -1)) {
      if (line.startsWith("[dry-run] write /etc/systemd/system/syntra-agent.service")) {
        inUnit = true;
      } else if (inUnit && line.startsWith("[dry-run]     ")) {
        lines.add(line.substring("[dry-run]     ".length()));
      } else if (inUnit) {
        break;
      }
    }
    return lines;
  }
}
