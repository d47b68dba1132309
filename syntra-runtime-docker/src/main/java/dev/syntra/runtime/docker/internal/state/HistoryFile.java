package dev.syntra.runtime.docker.internal.state;

import dev.syntra.protocol.ProtocolException;
import dev.syntra.protocol.json.MessageCodec;
import dev.syntra.protocol.message.DeployCommand;
import dev.syntra.protocol.message.Envelope;
import dev.syntra.protocol.message.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes one {@link DeployHistory} file:
 *
 * <pre>{@code {"format":1,"deployment_id":"…","digest":"sha256:…","deployed_at":"2026-…Z",
 *  "envelope":{"v":1,"type":"deploy",…,"payload":{"spec":{…}}}}}</pre>
 *
 * <p>The spec is serialised by the protocol's public {@link MessageCodec} as the payload of a
 * {@link DeployCommand} envelope, so the stored form is exactly the wire form of a deploy command
 * and follows protocol changes. Not thread-safe beyond what {@link DeployHistory} serialises.
 */
final class HistoryFile {
  static final String PREFIX = "deploy-";
  static final String SUFFIX = ".json";
  static final int FORMAT = 1;

  private static final Logger log = LoggerFactory.getLogger(HistoryFile.class);
  private static final String TEMP_PREFIX = ".tmp-";
  private static final int MAX_FILE_BYTES = 8 << 20;
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");

  private final MessageCodec codec = MessageCodec.create(MAX_FILE_BYTES);
  private final JsonMapper mapper = JsonMapper.builder().build();

  /** Files already warned about, by path and modification time, so each is reported once. */
  private final Set<String> warned = Collections.newSetFromMap(new ConcurrentHashMap<>());

  /** Creates {@code dir} (and parents up to and including {@code root}) with mode 0700. */
  static void createPrivateDirectories(Path root, Path dir) throws IOException {
    Path parent = root.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    for (Path p = root; ; ) {
      createPrivate(p);
      if (p.equals(dir)) {
        break;
      }
      p = p.resolve(dir.getName(p.getNameCount()));
    }
  }

  private static void createPrivate(Path dir) throws IOException {
    boolean posix = isPosix(dir.getParent() == null ? dir : dir.getParent());
    try {
      if (posix) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
      } else {
        Files.createDirectory(dir);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
    if (posix) {
      Files.setPosixFilePermissions(dir, DIR_MODE);
    }
  }

  /** Writes {@code entry} to {@code dir/name} atomically with mode 0600. */
  void write(Path dir, String name, DeployHistory.Entry entry) throws IOException {
    Envelope envelope =
        Envelope.of(
            new DeployCommand(entry.spec()), Clock.fixed(entry.deployedAt(), ZoneOffset.UTC));
    ObjectNode root = mapper.createObjectNode();
    root.put("format", FORMAT);
    root.put("deployment_id", entry.spec().deploymentId());
    root.put("digest", entry.imageDigest());
    root.put("deployed_at", entry.deployedAt().toString());
    if (entry.secretsRemoved()) {
      root.put("secrets_removed", true);
    }
    root.set("envelope", mapper.readTree(codec.encode(envelope)));
    byte[] bytes = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);

    FileAttribute<?>[] attributes =
        isPosix(dir)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, TEMP_PREFIX, SUFFIX, attributes);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Path target = dir.resolve(name);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The entry in {@code file}, or empty (with a warning, once) when it cannot be read. */
  Optional<DeployHistory.Entry> read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length > MAX_FILE_BYTES) {
        return corrupt(file, "it is larger than " + MAX_FILE_BYTES + " bytes");
      }
      JsonNode root = mapper.readTree(bytes);
      if (root == null || !root.isObject()) {
        return corrupt(file, "it is not a JSON object");
      }
      JsonNode format = root.get("format");
      if (format == null || format.asInt() != FORMAT) {
        return corrupt(file, "unknown format " + format);
      }
      String digest = text(root, "digest");
      Instant deployedAt = Instant.parse(text(root, "deployed_at"));
      JsonNode envelope = root.get("envelope");
      if (envelope == null || !envelope.isObject()) {
        return corrupt(file, "field 'envelope' is missing");
      }
      Message payload = codec.decode(mapper.writeValueAsBytes(envelope)).payload();
      if (!(payload instanceof DeployCommand command)) {
        return corrupt(file, "the envelope holds a " + payload.type().wireName() + " message");
      }
      JsonNode removed = root.get("secrets_removed");
      boolean secretsRemoved = removed != null && removed.asBoolean();
      return Optional.of(
          new DeployHistory.Entry(command.spec(), digest, deployedAt, secretsRemoved));
    } catch (ProtocolException e) {
      // The codec's message names the JSON path and never the value of an env variable.
      return corrupt(
          file, "the deploy command does not decode (" + e.code() + " at " + e.path() + ")");
    } catch (JacksonException e) {
      return corrupt(file, "it is not valid JSON");
    } catch (DateTimeParseException e) {
      return corrupt(file, "field 'deployed_at' is not an instant");
    } catch (IllegalArgumentException e) {
      return corrupt(file, "a field is missing or invalid");
    } catch (IOException e) {
      return corrupt(file, "it cannot be read: " + e.getMessage());
    }
  }

  /** Removes temporary files left by a write interrupted by a crash. */
  void deleteStaleTemporaries(Path dir) throws IOException {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path temp : stream) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private Optional<DeployHistory.Entry> corrupt(Path file, String why) {
    String key;
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      key = file + "@" + modified.toMillis();
    } catch (IOException e) {
      key = file.toString();
    }
    if (warned.size() < 10_000 && warned.add(key)) {
      log.warn("Skipping deployment history file {}: {}", file, why);
    }
    return Optional.empty();
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isString() || node.stringValue().isBlank()) {
      throw new IllegalArgumentException(field);
    }
    return node.stringValue();
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
