package dev.syntra.e2e;

import dev.syntra.protocol.frame.TelemetryFrame;
import dev.syntra.protocol.frame.TelemetryFrameCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the control plane stored durably: the telemetry frames in its embedded PostgreSQL
 * (table {@code telemetry_batches}), as the owner, the way an operator with the data directory
 * could. The frames are decoded with the protocol's codec, so a test sees exactly what arrived.
 */
final class StoredTelemetry {
  private StoredTelemetry() {}

  /** Every frame the control plane stored from {@code serverId}'s agent, in the order stored. */
  static List<TelemetryFrame> frames(Path dataDir, String serverId)
      throws IOException, SQLException {
    List<String> pid = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
    String url = "jdbc:postgresql://127.0.0.1:" + pid.get(3).strip() + "/postgres";
    String password = Files.readString(dataDir.resolve("postgres.password")).strip();
    TelemetryFrameCodec codec = TelemetryFrameCodec.create();
    List<TelemetryFrame> frames = new ArrayList<>();
    try (Connection db = DriverManager.getConnection(url, "postgres", password);
        PreparedStatement query =
            db.prepareStatement(
                "SELECT frame FROM telemetry_batches WHERE server_id = ? ORDER BY seq")) {
      query.setObject(1, java.util.UUID.fromString(serverId));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          frames.add(codec.decode(rows.getBytes(1)));
        }
      }
    }
    return frames;
  }
}
