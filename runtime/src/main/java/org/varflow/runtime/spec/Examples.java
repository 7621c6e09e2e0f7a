package org.varflow.runtime.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.varflow.api.SpecException;
import org.varflow.runtime.Spec;

/**
 * The gallery: example specs bundled as resources {@code org/varflow/runtime/examples/NAME.yaml}, so that they go
 * wherever the runtime's jar goes. An example's first comment line is its description; one with a {@code study} block
 * is meant for {@code varflow study}.
 */
public final class Examples {
  private static final String DIR = "org/varflow/runtime/examples/";

  private Examples() {}

  /** @return every bundled example, by name */
  public static List<Spec.Example> list() {
    List<Spec.Example> out = new ArrayList<>();
    for (String name : names()) {
      byte[] yaml = bytes(name);
      String description = new String(yaml, StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("#"))
          .findFirst().map(l -> l.replaceFirst("^#\\s*", "")).orElse("");
      boolean study = SpecLoader.parse(yaml, name + ".yaml").containsKey("study");
      out.add(new Spec.Example(name, description, study));
    }
    return out;
  }

  /**
   * @param name an example's name
   * @param overrides {@code key=value} pairs as {@code --set} takes them
   * @return the example with the overrides applied; its name is the example's
   * @throws SpecException naming {@code --example} and listing the examples when there is none of that name
   */
  public static Spec load(String name, List<String> overrides) {
    List<String> names = names();
    if (!names.contains(name)) {
      throw new SpecException("--example", "no example '" + name + "'; the examples are " + String.join(", ", names)
          + " (varflow examples describes them)");
    }
    return SpecLoader.bundled(resource(name), name, overrides);
  }

  /** @return the names of the bundled examples, sorted: the YAML files in the examples' folder of the runtime */
  private static List<String> names() {
    try {
      Path location = Path.of(Examples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(location)) {
        return names(location.resolve(DIR));
      }
      try (FileSystem jar = FileSystems.newFileSystem(location)) {
        return names(jar.getPath(DIR));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the bundled examples", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the bundled examples", e);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList();
    }
  }

  /** @return the example's resource, as {@link Class#getResourceAsStream} takes it */
  private static String resource(String name) {
    return "/" + DIR + name + ".yaml";
  }

  private static byte[] bytes(String name) {
    try (InputStream in = Examples.class.getResourceAsStream(resource(name))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled example " + name, e);
    }
  }
}
