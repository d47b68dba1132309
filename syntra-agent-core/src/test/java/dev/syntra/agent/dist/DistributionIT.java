package dev.syntra.agent.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent ({@code mvn verify} runs this after {@code package}): the shaded jar and the
 * tarball that {@code scripts/agent-dist.sh} builds.
 */
class DistributionIT {
  private static final String PROVIDERS =
      "META-INF/services/dev.syntra.protocol.runtime.RuntimeAdapterProvider";
  private static final Path TARGET = Path.of("target");

  private static Path jar;
  private static Path tarball;

  @BeforeAll
  static void findArtifacts() throws IOException {
    jar = single("syntra-agent-", "-SNAPSHOT.jar", ".jar");
    tarball = single("syntra-agent-", ".tar.gz", ".tar.gz");
  }

  @Test
  void shadedJarIsExecutableAndCarriesNoSignaturesNorForeignNatives() throws IOException {
    try (JarFile agent = new JarFile(jar.toFile())) {
      assertThat(agent.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("dev.syntra.agent.cli.AgentCli");
      List<String> names = names(agent);
      assertThat(names).filteredOn(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")).isEmpty();
      assertThat(names)
          .filteredOn(n -> n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".dylib"))
          .isNotEmpty()
          .allSatisfy(n ->
              assertThat(n)
                  .containsAnyOf("linux/amd64", "linux/aarch64", "linux-x86-64", "linux-aarch64"));
      assertThat(names).contains("dev/syntra/agent/systemd/SystemdNotifier.class");
    }
  }

  /** Every provider that a runtime adapter declares must survive the merge of service files. */
  @Test
  void shadedJarKeepsEveryRuntimeAdapterProvider() throws IOException {
    Set<String> declared = new LinkedHashSet<>();
    for (String module : List.of("syntra-runtime-docker", "syntra-runtime-k8s")) {
      Path services = Path.of("..", module, "src/main/resources", PROVIDERS);
      if (Files.exists(services)) {
        declared.addAll(providerLines(Files.readString(services)));
      }
    }
    try (JarFile agent = new JarFile(jar.toFile())) {
      JarEntry entry = agent.getJarEntry(PROVIDERS);
      assertThat(declared).as("runtime adapters declaring a " + PROVIDERS).isNotEmpty();
      assertThat(entry).as(PROVIDERS + " in " + jar).isNotNull();
      try (InputStream in = agent.getInputStream(entry)) {
        Set<String> merged = providerLines(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        assertThat(merged).containsAll(declared);
        for (String provider : merged) {
          assertThat(agent.getJarEntry(provider.replace('.', '/') + ".class"))
              .as("class of provider " + provider)
              .isNotNull();
        }
      }
    }
  }

  @Test
  void tarballHoldsLauncherJarRuntimeUnitAndInstaller() throws Exception {
    ScriptRun list = ScriptRun.run(List.of("tar", "-tvzf", tarball.toString()));
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    String top = tarball.getFileName().toString().replaceAll("-linux-[a-z0-9_]+\\.tar\\.gz$", "");
    assertThat(list.stdout())
        .containsPattern("-rwxr-xr-x 0/0 .* " + top + "/bin/syntra-agent\n")
        .containsPattern("-rwxr-xr-x 0/0 .* " + top + "/install.sh\n")
        .containsPattern("-rwxr-xr-x 0/0 .* " + top + "/runtime/bin/java\n")
        .contains(
            top + "/lib/syntra-agent.jar\n",
            top + "/share/syntra-agent.service\n",
            top + "/VERSION\n")
        .doesNotContain("/runtime/include/", "/runtime/man/");
  }

  @Test
  void tarballHasItsSha256BesideIt() throws Exception {
    Path sum = tarball.resolveSibling(tarball.getFileName() + ".sha256");
    assertThat(sum).exists();
    assertThat(Files.readString(sum))
        .isEqualTo(InstallScriptTest.sha256(tarball) + "  " + tarball.getFileName() + "\n");
  }

  @Test
  void installScriptDryRunsAgainstTheTarball() throws Exception {
    ScriptRun run =
        ScriptRun.run(
            List.of(
                "sh",
                "src/dist/install.sh",
                "--dry-run",
                "--endpoint",
                InstallScriptTest.ENDPOINT,
                "--token",
                InstallScriptTest.TOKEN,
                "--tarball",
                tarball.toString(),
                "--sha256",
                InstallScriptTest.sha256(tarball)));

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.stdout())
        .contains(
            "SHA-256 of " + tarball + " matches --sha256",
            "unpack " + tarball,
            "Restart=always",
            "RestartPreventExitStatus=2 4",
            "Dry run: nothing was changed.");
    assertThat(run.all()).doesNotContain(InstallScriptTest.TOKEN);
  }

  @Test
  void unpackedLauncherRunsTheAgentOnTheBundledRuntime(@TempDir Path dir) throws Exception {
    ScriptRun unpack =
        ScriptRun.run(
            List.of("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", dir.toString()));
    assertThat(unpack.exitCode()).as(unpack.stderr()).isZero();
    Path home;
    try (Stream<Path> entries = Files.list(dir)) {
      home = entries.findFirst().orElseThrow();
    }
    Path java = home.resolve("runtime/bin/java");
    ScriptRun runtime = ScriptRun.run(List.of(java.toString(), "-Xshare:on", "-version"));
    assertThat(runtime.exitCode()).as(runtime.all()).isZero();

    try (JarFile agent = new JarFile(jar.toFile())) {
      assertThat(agent.getJarEntry("dev/syntra/agent/cli/AgentCli.class"))
          .as("the agent CLI in " + jar)
          .isNotNull();
    }
    ScriptRun version =
        ScriptRun.run(List.of(home.resolve("bin/syntra-agent").toString(), "version"));

    assertThat(version.exitCode()).as(version.all()).isZero();
    assertThat(version.all()).contains(Files.readString(home.resolve("VERSION")).strip());
  }

  private static Set<String> providerLines(String text) {
    Set<String> lines = new LinkedHashSet<>();
    for (String line : text.split("\n")) {
      String clean = line.replaceAll("#.*", "").strip();
      if (!clean.isEmpty()) {
        lines.add(clean);
      }
    }
    return lines;
  }

  private static List<String> names(JarFile jarFile) {
    List<String> names = new ArrayList<>();
    for (Enumeration<JarEntry> e = jarFile.entries(); e.hasMoreElements(); ) {
      names.add(e.nextElement().getName());
    }
    return names;
  }

  private static Path single(String prefix, String suffix, String ext) throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      List<Path> found =
          files
              .filter(p -> p.getFileName().toString().startsWith(prefix))
              .filter(p -> p.getFileName().toString().endsWith(ext))
              .filter(p -> !p.getFileName().toString().startsWith("syntra-agent-core"))
              .toList();
      assertThat(found)
          .as("%s*%s in target/ (run mvn package without -Dexec.skip)", prefix, suffix)
          .hasSize(1);
      return found.get(0);
    }
  }
}
