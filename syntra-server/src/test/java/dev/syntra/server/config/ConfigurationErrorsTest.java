package dev.syntra.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syntra.server.SyntraServerApplication;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A bad setting stops the start before anything opens (no database, no port), with one short
 * message naming the variable and the expected form, and no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationErrorsTest {
  @TempDir Path dataDir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SYNTRA_HTTP_PORT       | eighty                     | SYNTRA_HTTP_PORT must be a TCP port number",
        "SYNTRA_BOOTSTRAP_TOKEN | syn_pat_tooShort           | SYNTRA_BOOTSTRAP_TOKEN must be 'syn_pat_'",
        "SYNTRA_MASTER_KEY      | not base64!                | SYNTRA_MASTER_KEY is not valid base64",
        "SYNTRA_MASTER_KEY      | c2hvcnQ=                   | SYNTRA_MASTER_KEY must decode to 32 bytes",
        "SYNTRA_HUB_PORT        | 7443x                      | SYNTRA_HUB_PORT: expected a port",
        "SYNTRA_COMMAND_PAYLOAD_RETENTION | forever          | SYNTRA_COMMAND_PAYLOAD_RETENTION: expected a positive duration",
        "SYNTRA_MASTER_KEY_PREVIOUS | %%%                    | SYNTRA_MASTER_KEY_PREVIOUS is not valid base64",
        "SYNTRA_TELEMETRY_BATCH_RETENTION | 7d               | SYNTRA_TELEMETRY_BATCH_RETENTION: expected a positive duration",
        "SYNTRA_TELEMETRY_INGEST_AGENT_MB | 0                | SYNTRA_TELEMETRY_INGEST_AGENT_MB: expected a positive whole number",
        "SYNTRA_OTEL_INJECT     | off                        | SYNTRA_OTEL_INJECT: expected true or false",
      })
  void aBadSettingStopsTheStartBeforeAnyPortOpens(
      String variable, String value, String expected, CapturedOutput output) throws IOException {
    int httpPort = freePort();
    List<String> args = new ArrayList<>();
    args.add("--SYNTRA_DATA_DIR=" + dataDir);
    if (!variable.equals("SYNTRA_HTTP_PORT")) {
      args.add("--SYNTRA_HTTP_PORT=" + httpPort);
    }
    if (!variable.equals("SYNTRA_HUB_PORT")) {
      args.add("--SYNTRA_HUB_PORT=0");
    }
    args.add("--SYNTRA_HUB_BIND=127.0.0.1");
    args.add("--" + variable + "=" + value);

    assertThatThrownBy(() ->
            new SpringApplicationBuilder(SyntraServerApplication.class)
                .run(args.toArray(String[]::new))
                .close())
        .hasMessageStartingWith(variable);

    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .contains(expected)
        .doesNotContain("at org.springframework.boot.SpringApplication.run");
    assertThat(dataDir.resolve("postgres")).doesNotExist();
    assertThat(listens(httpPort)).isFalse();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean listens(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
