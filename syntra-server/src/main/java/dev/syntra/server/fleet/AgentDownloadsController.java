package dev.syntra.server.fleet;

import dev.syntra.server.api.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves what the install command fetches, without authentication: {@code /install.sh} and the
 * agent tarball {@code /downloads/syntra-agent-linux-<arch>.tar.gz}, from {@code
 * SYNTRA_AGENT_DIST_DIR} (default {@code <data dir>/agent-dist}; {@code scripts/run.sh} fills it
 * from the build). Neither file holds a secret: the registration token travels in the command,
 * which also carries each tarball's SHA-256 (see {@link AgentInstall}).
 */
@RestController
final class AgentDownloadsController {
  private final AgentDistribution dist;

  AgentDownloadsController(AgentDistribution dist) {
    this.dist = dist;
  }

  @GetMapping(value = "/install.sh")
  ResponseEntity<Resource> installer() {
    Path script = dist.dir().resolve("install.sh");
    if (!Files.isRegularFile(script)) {
      throw missing("install.sh");
    }
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("text/x-shellscript; charset=utf-8"))
        .body(new FileSystemResource(script));
  }

  @GetMapping(value = "/downloads/syntra-agent-linux-{arch}.tar.gz")
  ResponseEntity<Resource> tarball(@PathVariable String arch) {
    if (!AgentDistribution.ARCHITECTURES.contains(arch)) {
      throw ApiException.notFound("agent build for " + arch);
    }
    Path file =
        dist.tarball(arch)
            .orElseThrow(() -> missing("syntra-agent-<version>-linux-" + arch + ".tar.gz"));
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/gzip"))
        .header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"")
        .body(new FileSystemResource(file));
  }

  private ApiException missing(String file) {
    return new ApiException(
        HttpStatus.NOT_FOUND,
        "agent_distribution_missing",
        "this server has no "
            + file
            + " to offer: put the agent distribution (install.sh and"
            + " syntra-agent-<version>-linux-<arch>.tar.gz, built by `mvn package` in"
            + " syntra-agent-core/target) into "
            + dist.dir()
            + " or point SYNTRA_AGENT_DIST_DIR at it");
  }
}
