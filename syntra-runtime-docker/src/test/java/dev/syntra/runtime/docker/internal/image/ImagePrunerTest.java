package dev.syntra.runtime.docker.internal.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Image;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImagePrunerTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final String ID = "sha256:" + "a".repeat(64);
  private static final String MANIFEST = "sha256:" + "b".repeat(64);

  private static Image image() throws Exception {
    return JSON.readValue(
        """
        {"Id":"%s",
         "RepoTags":["127.0.0.1:5000/shop/web:1","127.0.0.1:5000/shop/web:latest","other/x:1"],
         "RepoDigests":["127.0.0.1:5000/shop/web@%s"]}
        """
            .formatted(ID, MANIFEST),
        Image.class);
  }

  @Test
  void selectsOnlyTheReferencesOfTheServicesRepositoriesTagsFirst() throws Exception {
    assertThat(ImagePruner.references(image(), Set.of("127.0.0.1:5000/shop/web")))
        .containsExactly(
            "127.0.0.1:5000/shop/web:1",
            "127.0.0.1:5000/shop/web:latest",
            "127.0.0.1:5000/shop/web@" + MANIFEST);
    assertThat(ImagePruner.references(image(), Set.of("nginx"))).isEmpty();
  }

  @Test
  void keepsAnImageByItsIdOrByItsRepoDigestInEitherForm() throws Exception {
    assertThat(ImagePruner.kept(image(), Set.of(ID))).isTrue();
    assertThat(ImagePruner.kept(image(), Set.of(MANIFEST))).isTrue();
    assertThat(ImagePruner.kept(image(), Set.of(ImagePruner.bareDigest("x/y@" + MANIFEST))))
        .isTrue();
    assertThat(ImagePruner.kept(image(), Set.of("sha256:" + "c".repeat(64)))).isFalse();
  }

  @Test
  void repositoryIgnoresIdsAndUntaggedEntries() {
    assertThat(ImagePruner.repository("127.0.0.1:5000/shop/web:3"))
        .isEqualTo("127.0.0.1:5000/shop/web");
    assertThat(ImagePruner.repository("127.0.0.1:5000/shop/web@" + MANIFEST))
        .isEqualTo("127.0.0.1:5000/shop/web");
    assertThat(ImagePruner.repository("nginx")).isEqualTo("nginx");
    assertThat(ImagePruner.repository(ID)).isNull();
    assertThat(ImagePruner.repository("<none>:<none>")).isNull();
    assertThat(ImagePruner.repository("<none>@<none>")).isNull();
    assertThat(ImagePruner.repository(null)).isNull();
  }
}
