package dev.syntra.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts the control plane. Configuration comes from {@code SYNTRA_*} environment variables. */
@SpringBootApplication
public class SyntraServerApplication {
  public static void main(String[] args) {
    SpringApplication.run(SyntraServerApplication.class, args);
  }
}
