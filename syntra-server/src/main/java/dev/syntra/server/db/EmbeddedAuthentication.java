package dev.syntra.server.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the embedded PostgreSQL ask for a password: runs on the data directory before every start
 * of the postmaster (after {@code initdb} on first use). When the directory does not carry Syntra's
 * {@code pg_hba.conf} yet (a fresh {@code initdb}, which trusts everyone, or a data directory of an
 * earlier Syntra version) or the owner's password was just generated, it sets the superuser's
 * password in single-user mode (no listener at all, so there is no moment when anyone connects
 * without it), then writes a {@code pg_hba.conf} that accepts SCRAM passwords over loopback TCP and
 * nothing else.
 */
final class EmbeddedAuthentication implements Consumer<File> {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedAuthentication.class);

  static final String HBA =
      """
      # Written by Syntra at every start of the embedded PostgreSQL; edits are overwritten.
      # Passwords (SCRAM) over loopback TCP only; the server has no Unix socket.
      host  all  all  127.0.0.1/32  scram-sha-256
      host  all  all  ::1/128       scram-sha-256
      """;

  private final String superuser;
  private final String password;
  private final boolean passwordIsNew;

  EmbeddedAuthentication(String superuser, String password, boolean passwordIsNew) {
    this.superuser = superuser;
    this.password = password;
    this.passwordIsNew = passwordIsNew;
  }

  @Override
  public void accept(File dataDirectory) {
    Path hba = dataDirectory.toPath().resolve("pg_hba.conf");
    try {
      boolean configured =
          Files.isRegularFile(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(HBA);
      if (configured && !passwordIsNew) {
        return;
      }
      // Password first, pg_hba.conf second: a crash in between repeats both on the next start.
      setSuperuserPassword(dataDirectory.toPath());
      Path temp = hba.resolveSibling("pg_hba.conf.tmp");
      Files.writeString(temp, HBA, StandardCharsets.UTF_8);
      Files.move(temp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.info("Embedded PostgreSQL now requires the password kept in the data dir");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not set up password authentication in " + dataDirectory, e);
    }
  }

  /**
   * Runs {@code postgres --single}: the statement goes in on standard input, with the SCRAM
   * verifier computed here, so the password is in no argument list and no server log.
   */
  private void setSuperuserPassword(Path dataDirectory) throws IOException {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      // As root, PostgreSQL refuses to run; the embedded library starts it in a user namespace.
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(
        List.of(
            binaries().resolve("bin/postgres").toString(),
            "--single",
            "-D",
            dataDirectory.toString(),
            "-c",
            "listen_addresses=",
            "-c",
            "unix_socket_directories=",
            "postgres"));
    Process single = new ProcessBuilder(command).redirectErrorStream(true).start();
    String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
    try (var in = single.getOutputStream()) {
      in.write(
          ("ALTER ROLE \"" + superuser + "\" PASSWORD '" + verifier + "'\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(single.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!single.waitFor(60, TimeUnit.SECONDS)) {
        single.destroyForcibly();
        throw new IOException("PostgreSQL in single-user mode did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      single.destroyForcibly();
      throw new IOException("interrupted while setting the database password", e);
    }
    if (single.exitValue() != 0 || output.contains("ERROR:") || output.contains("FATAL:")) {
      throw new IOException(
          "PostgreSQL in single-user mode could not set the password (exit "
              + single.exitValue()
              + "): "
              + firstProblem(output));
    }
  }

  private static String firstProblem(String output) {
    return output
        .lines()
        .filter(line -> line.contains("ERROR:") || line.contains("FATAL:"))
        .findFirst()
        .orElse("no message");
  }

  /**
   * Where the embedded library unpacked the PostgreSQL binaries. It exposes no accessor, so its own
   * (idempotent, cached) preparation step is called; the start that follows reuses the result.
   */
  private static Path binaries() throws IOException {
    try {
      Method prepare =
          EmbeddedPostgres.class.getDeclaredMethod(
              "prepareBinaries", PgBinaryResolver.class, File.class);
      prepare.setAccessible(true);
      File directory = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
      return directory.toPath();
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      throw new IOException(
          "the embedded PostgreSQL library changed: its binaries cannot be located", e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedAuthentication[" + superuser + ", password ***]";
  }
}
