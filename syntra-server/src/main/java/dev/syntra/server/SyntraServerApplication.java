package dev.syntra.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts the control plane. Configuration comes from {@code SYNTRA_*} environment variables. */
@SpringBootApplication
public class SyntraServerApplication {
  public static void main(String[] args) {
    try {
      SpringApplication.run(SyntraServerApplication.class, args);
    } catch (RuntimeException failed) {
      // Spring Boot has reported it (a bad setting as one short message); threads such as the
      // database's must not keep a failed server alive.
      System.exit(1);
    }
  }
}
