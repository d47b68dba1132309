package dev.syntra.agent.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syntra.protocol.runtime.ContractEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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
            "(https only, also on redirects)",
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
            "RestartPreventExitStatus=2 4",
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
    assertThat(noToken.stderr())
        .contains(
            "the registration token is missing: pass the token shown when the server was added"
                + " (syn_tkn_...) with --token-file FILE, the environment variable"
                + " SYNTRA_AGENT_TOKEN, or --token");

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
    Path prefix = agentInstall(tmp.resolve("prefix"));
    Path state = agentState(tmp.resolve("state"));
    String[] dirs = {"--prefix", prefix.toString(), "--state-dir", state.toString()};

    ScriptRun keep = install(concat(dirs, "--dry-run", "--uninstall"));
    assertThat(keep.exitCode()).as(keep.all()).isZero();
    assertThat(keep.stdout())
        .contains(
            "[dry-run] systemctl disable --now syntra-agent",
            "[dry-run] remove /etc/systemd/system/syntra-agent.service",
            "[dry-run] remove " + prefix + "\n",
            "Kept /etc/syntra/agent.conf and " + state);

    ScriptRun purge = install(concat(dirs, "--dry-run", "--uninstall", "--purge"));
    assertThat(purge.exitCode()).as(purge.all()).isZero();
    assertThat(purge.stdout())
        .contains("[dry-run] remove " + state + " (", "[dry-run] delete user syntra-agent");
    assertThat(prefix.resolve("lib/syntra-agent.jar")).exists();
    assertThat(state.resolve("identity.json")).exists();
  }

  @Test
  void uninstallRefusesToDeleteWhatIsNotTheAgent() throws Exception {
    Path foreign = Files.createDirectories(tmp.resolve("apps"));
    Files.writeString(foreign.resolve("important.txt"), "keep me");
    Path state = agentState(tmp.resolve("state"));

    ScriptRun prefix =
        install(
            "--dry-run", "--uninstall", "--prefix", foreign.toString(), "--state-dir", "" + state);
    assertThat(prefix.exitCode()).isEqualTo(1);
    assertThat(prefix.stderr())
        .contains(
            foreign
                + " does not hold a Syntra agent (no lib/syntra-agent.jar) and is not empty: not"
                + " removing it");
    assertThat(prefix.stdout()).doesNotContain("[dry-run]");

    Path program = agentInstall(tmp.resolve("prefix"));
    ScriptRun purge =
        install(
            "--dry-run",
            "--uninstall",
            "--purge",
            "--prefix",
            program.toString(),
            "--state-dir",
            foreign.toString());
    assertThat(purge.exitCode()).isEqualTo(1);
    assertThat(purge.stderr())
        .contains(foreign + " holds no agent state (no identity.json, journal/, status.json or");
    assertThat(purge.stdout()).doesNotContain("[dry-run]");

    assertThat(install("--dry-run", "--uninstall", "--prefix", "/usr/local").stderr())
        .contains("--prefix /usr/local is a system directory");
    assertThat(install("--dry-run", "--uninstall", "--purge", "--state-dir", "/var/lib").stderr())
        .contains("--state-dir /var/lib is a system directory");
    assertThat(foreign.resolve("important.txt")).exists();
  }

  /**
   * Without --prefix and --state-dir, uninstall removes where the installed unit says the agent is,
   * not the defaults. The unit is put in place in a private mount namespace (root and unshare).
   */
  @Test
  void uninstallFindsTheAgentThroughTheInstalledUnit() throws Exception {
    ContractEngine.require(
        ScriptRun.run(List.of("id", "-u")).stdout().strip().equals("0")
            && ScriptRun.onPath("unshare")
            && Files.isDirectory(Path.of("/etc/systemd/system"))
            && !Files.exists(Path.of("/etc/syntra/agent.conf")),
        "needs root, unshare, /etc/systemd/system and no installed agent");
    Path prefix = agentInstall(tmp.resolve("custom/agent"));
    Path state = agentState(tmp.resolve("custom/state"));
    Path units = Files.createDirectories(tmp.resolve("units"));
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
            prefix.toString(),
            "--state-dir",
            state.toString());
    Files.writeString(
        units.resolve("syntra-agent.service"), String.join("\n", unitLines(plan.stdout())) + "\n");
    String script =
        "mount --bind \"$1\" /etc/systemd/system && exec sh \"$2\" --dry-run --uninstall --purge";

    ScriptRun run =
        ScriptRun.run(
            List.of(
                "unshare",
                "-m",
                "sh",
                "-c",
                script,
                "sh",
                units.toString(),
                SCRIPT.toAbsolutePath().toString()));

    ContractEngine.require(
        !run.stderr().contains("mount:"), "mount in a namespace refused: " + run.stderr());
    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.stdout())
        .contains(
            "prefix " + prefix + " (from /etc/systemd/system/syntra-agent.service)",
            "[dry-run] remove " + prefix + "\n",
            "[dry-run] remove " + state + " (")
        .doesNotContain("/opt/syntra-agent", "/var/lib/syntra-agent");
  }

  @Test
  void refusesSystemAndForeignDirectories() throws Exception {
    for (String dir : List.of("/opt", "/usr/local", "/var/lib", "/etc/syntra", "/home")) {
      assertThat(installWith("--prefix", dir).stderr())
          .contains("--prefix " + dir + " is a system directory");
      assertThat(installWith("--state-dir", dir).stderr())
          .contains("--state-dir " + dir + " is a system directory");
    }
    Path foreign = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(foreign.resolve("db.sqlite"), "x");

    ScriptRun prefix = installWith("--prefix", foreign.toString());
    assertThat(prefix.exitCode()).isEqualTo(1);
    assertThat(prefix.stderr())
        .contains(
            "--prefix "
                + foreign
                + " is a non-empty directory without a Syntra agent in it (no"
                + " lib/syntra-agent.jar)");
    ScriptRun state = installWith("--state-dir", foreign.toString());
    assertThat(state.exitCode()).isEqualTo(1);
    assertThat(state.stderr())
        .contains("--state-dir " + foreign + " is a non-empty directory without agent state");
    ScriptRun nested =
        installWith("--prefix", foreign.toString(), "--state-dir", foreign + "/state");
    assertThat(nested.stderr()).contains("is inside --prefix");

    // New, empty or agent-owned directories are fine.
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path program = agentInstall(tmp.resolve("program"));
    ScriptRun ok = installWith("--prefix", program.toString(), "--state-dir", empty.toString());
    assertThat(ok.exitCode()).as(ok.all()).isZero();
    assertThat(ok.stdout()).contains("[dry-run] install the program into " + program);
  }

  @Test
  void upgradeOfARegisteredAgentNeedsNoToken() throws Exception {
    Path state = agentState(tmp.resolve("state"));

    ScriptRun run =
        install(
            "--dry-run",
            "--endpoint",
            ENDPOINT,
            "--url",
            "https://x.example",
            "--prefix",
            tmp.resolve("prefix").toString(),
            "--state-dir",
            state.toString());

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.stdout())
        .contains(
            "The agent is registered (" + state + "/identity.json): upgrading without a token.",
            "[dry-run]     endpoint=" + ENDPOINT)
        .doesNotContain("token=");
  }

  @Test
  void readsTheTokenFromAFileOrTheEnvironmentAndWarnsAboutTheFlag() throws Exception {
    Path file = tmp.resolve("token");
    Files.writeString(file, TOKEN + "\n");
    String[] base = {"--dry-run", "--endpoint", ENDPOINT, "--url", "https://x.example"};

    ScriptRun fromFile = install(concat(base, "--token-file", file.toString()));
    assertThat(fromFile.exitCode()).as(fromFile.all()).isZero();
    assertThat(fromFile.stdout()).contains("[dry-run]     token=syn_tkn_MvOz… (redacted)");
    assertThat(fromFile.all()).doesNotContain(TOKEN).doesNotContain("other users can see");

    List<String> withEnv =
        new ArrayList<>(List.of("env", "SYNTRA_AGENT_TOKEN=" + TOKEN, "sh", SCRIPT.toString()));
    withEnv.addAll(Arrays.asList(base));
    ScriptRun fromEnv = ScriptRun.run(withEnv);
    assertThat(fromEnv.exitCode()).as(fromEnv.all()).isZero();
    assertThat(fromEnv.stdout()).contains("[dry-run]     token=syn_tkn_MvOz… (redacted)");
    assertThat(fromEnv.all()).doesNotContain(TOKEN).doesNotContain("other users can see");

    ScriptRun fromFlag = install(concat(base, "--token", TOKEN));
    assertThat(fromFlag.exitCode()).as(fromFlag.all()).isZero();
    assertThat(fromFlag.stderr())
        .contains(
            "note: other users can see --token in ps, and sudo logs it; next time use"
                + " --token-file FILE or SYNTRA_AGENT_TOKEN");
    assertThat(fromFlag.all()).doesNotContain(TOKEN);

    ScriptRun both = install(concat(base, "--token", TOKEN, "--token-file", file.toString()));
    assertThat(both.stderr()).contains("pass either --token or --token-file, not both");

    Files.writeString(file, TOKEN.substring(0, 30));
    ScriptRun malformed = install(concat(base, "--token-file", file.toString()));
    assertThat(malformed.exitCode()).isEqualTo(1);
    assertThat(malformed.stderr())
        .contains("the token in --token-file " + file + " is malformed: expected syn_tkn_");
    assertThat(malformed.all()).doesNotContain(TOKEN.substring(0, 30));
    Files.writeString(file, "");
    assertThat(install(concat(base, "--token-file", file.toString())).stderr())
        .contains("--token-file " + file + " is empty");
    assertThat(install(concat(base, "--token-file", tmp.resolve("nope").toString())).stderr())
        .contains("--token-file " + tmp.resolve("nope") + ": no such readable file");
  }

  @Test
  void downloadsOnlyOverHttpsUnlessLoopbackOrAllowed() throws Exception {
    ScriptRun plain = installWith("--url", "http://syntra.example.com");
    assertThat(plain.exitCode()).isEqualTo(1);
    assertThat(plain.stderr())
        .contains(
            "--url uses http:// for a host other than 127.0.0.1, localhost or [::1]: the download"
                + " would not be authenticated")
        .contains("add --allow-insecure-download");
    assertThat(installWith("--url", "ftp://x.example/a.tar.gz").stderr())
        .contains("--url must be an https:// URL");

    for (String loopback :
        List.of(
            "http://127.0.0.1:8080",
            "http://LOCALHOST/",
            "http://[::1]:8080",
            "http://u@localhost")) {
      ScriptRun run = installWith("--url", loopback);
      assertThat(run.exitCode()).as(loopback + ": " + run.all()).isZero();
      assertThat(run.stdout()).contains("(plain http)");
    }

    ScriptRun allowed =
        installWith(
            "--url", "http://syntra.example.com", "--allow-insecure-download", "--sha256", CA);
    assertThat(allowed.exitCode()).as(allowed.all()).isZero();
    assertThat(allowed.stderr())
        .contains("warning: downloading over plain http (--allow-insecure-download); --sha256");
    assertThat(allowed.stdout()).contains("(plain http; check its SHA-256 is " + CA + ")");

    String script = Files.readString(SCRIPT);
    assertThat(script).contains("curl -fsSL --proto \"$protocols\" --proto-redir \"$protocols\"");
  }

  @Test
  void checksTheTarballSha256BeforeUnpacking() throws Exception {
    Path tarball = fakeTarball();
    String sha = sha256(tarball);
    String[] base = {
      "--dry-run",
      "--endpoint",
      ENDPOINT,
      "--token-file",
      tokenFile().toString(),
      "--tarball",
      tarball.toString()
    };

    ScriptRun ok = install(concat(base, "--sha256", sha.toUpperCase(java.util.Locale.ROOT)));
    assertThat(ok.exitCode()).as(ok.all()).isZero();
    assertThat(ok.stdout())
        .contains("SHA-256 of " + tarball + " matches --sha256", "unpack " + tarball);

    String other = "0".repeat(64);
    ScriptRun bad = install(concat(base, "--sha256", other));
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr())
        .contains(
            tarball
                + " does not match --sha256: expected "
                + other
                + ", got "
                + sha
                + ". It is damaged or not the tarball the control plane published; nothing was"
                + " installed");
    assertThat(bad.stdout()).doesNotContain("unpack ");

    assertThat(install(concat(base, "--sha256", "abc")).stderr())
        .contains("--sha256 must be the 64 hex digit SHA-256 of the agent tarball");
  }

  @Test
  void checksTheSha256GivenForThisMachinesArchitecture() throws Exception {
    Path tarball = fakeTarball();
    String sha = sha256(tarball);
    String machine = machineArch();
    String other = machine.equals("x86_64") ? "aarch64" : "x86_64";
    String[] base = {
      "--dry-run",
      "--endpoint",
      ENDPOINT,
      "--token-file",
      tokenFile().toString(),
      "--tarball",
      tarball.toString()
    };

    ScriptRun ok =
        install(concat(base, "--sha256-" + machine, sha, "--sha256-" + other, "0".repeat(64)));
    assertThat(ok.exitCode()).as(ok.all()).isZero();
    assertThat(ok.stdout()).contains("SHA-256 of " + tarball + " matches --sha256");

    ScriptRun bad =
        install(concat(base, "--sha256-" + machine, "0".repeat(64), "--sha256-" + other, sha));
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.stderr()).contains(tarball + " does not match --sha256");
    assertThat(bad.stdout()).doesNotContain("unpack ");

    ScriptRun none = install(concat(base, "--sha256-" + other, sha));
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.stderr())
        .contains("no --sha256-" + machine + " was given for this machine's CPU architecture");

    assertThat(install(concat(base, "--sha256", sha, "--sha256-" + machine, sha)).stderr())
        .contains("pass either --sha256 or --sha256-<arch>, not both");
  }

  /** {@code uname -m} as install.sh names it. */
  private static String machineArch() throws Exception {
    String uname = ScriptRun.run(List.of("uname", "-m")).stdout().strip();
    return uname.equals("arm64") || uname.equals("aarch64") ? "aarch64" : "x86_64";
  }

  @Test
  void realInstallRefusesWithoutSystemd() throws Exception {
    // Not an engine: on a systemd host a real install would install the agent, so the other branch
    // (no systemd) cannot be tried there; realInstallRefusesWithoutRoot covers such hosts.
    Assumptions.assumeTrue(
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
    ContractEngine.require(
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
    ContractEngine.require(
        ScriptRun.onPath("systemd-analyze"), "systemd-analyze is not installed (package systemd)");
    // systemd-analyze checks that ExecStart's program exists and is executable.
    Path prefix = agentInstall(tmp.resolve("prefix"));
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

  /** A dry run of a first install (token from a file; --url https://x.example unless given). */
  private ScriptRun installWith(String... extra) throws Exception {
    String[] base = {"--dry-run", "--endpoint", ENDPOINT, "--token-file", "" + tokenFile()};
    if (!Arrays.asList(extra).contains("--url")) {
      base = concat(base, "--url", "https://x.example");
    }
    return install(concat(base, extra));
  }

  private Path tokenFile() throws Exception {
    Path file = tmp.resolve("token.txt");
    Files.writeString(file, TOKEN + "\n");
    return file;
  }

  private static String[] concat(String[] first, String... rest) {
    List<String> all = new ArrayList<>(Arrays.asList(first));
    all.addAll(Arrays.asList(rest));
    return all.toArray(String[]::new);
  }

  /** A directory that looks like an installed agent program. */
  private static Path agentInstall(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("lib/syntra-agent.jar"), "jar");
    return dir;
  }

  /** A directory that looks like a registered agent's state. */
  private static Path agentState(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("journal"));
    Files.writeString(dir.resolve("identity.json"), "{}");
    return dir;
  }

  /** A small tarball with the layout install.sh checks for. */
  private Path fakeTarball() throws Exception {
    Path top = tmp.resolve("build/syntra-agent-0.0.1");
    for (String file : List.of("bin/syntra-agent", "lib/syntra-agent.jar", "runtime/bin/java")) {
      Files.createDirectories(top.resolve(file).getParent());
      Files.writeString(top.resolve(file), file);
    }
    Files.createDirectories(top.resolve("share"));
    Files.copy(
        DIST.resolve("share/syntra-agent.service"), top.resolve("share/syntra-agent.service"));
    Path tarball = tmp.resolve("syntra-agent-0.0.1-linux-x86_64.tar.gz");
    ScriptRun tar =
        ScriptRun.run(
            List.of(
                "tar",
                "-czf",
                tarball.toString(),
                "-C",
                top.getParent().toString(),
                top.getFileName().toString()));
    assertThat(tar.exitCode()).as(tar.all()).isZero();
    return tarball;
  }

  static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
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
