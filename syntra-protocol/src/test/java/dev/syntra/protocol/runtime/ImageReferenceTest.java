package dev.syntra.protocol.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {
        "busybox, -, busybox, -, -",
        "busybox:1.36, -, busybox, 1.36, -",
        "library/nginx:1.27-alpine, -, library/nginx, 1.27-alpine, -",
        "127.0.0.1:5000/shop/web:1.4.2, 127.0.0.1:5000, shop/web, 1.4.2, -",
        "localhost/web, localhost, web, -, -",
        "ghcr.io/acme/api@sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef,"
            + " ghcr.io, acme/api, -, sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
        "registry.example.com:443/a/b/c:v1@sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef,"
            + " registry.example.com:443, a/b/c, v1, sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
      })
  void parsesValidReferences(
      String text, String registry, String repository, String tag, String digest) {
    ImageReference ref = ImageReference.parse(text);
    assertThat(ref).isEqualTo(new ImageReference(registry, repository, tag, digest));
    assertThat(ref.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "UPPER/case",
        "web:",
        "web:-bad",
        "web@sha256:short",
        "-web",
        "web//api",
        "reg istry/web",
        "web:tag:tag",
        "http://registry/web"
      })
  void refusesInvalidReferencesWithAReason(String text) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("image: ");
  }

  @ParameterizedTest
  @CsvSource({"busybox, latest", "busybox:1, 1"})
  void defaultsTheTagToLatest(String text, String tag) {
    assertThat(ImageReference.parse(text).tagOrLatest()).isEqualTo(tag);
  }
}
