package org.varflow.runtime.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A headless Chromium for the report's browser test: {@code VARFLOW_BROWSER}, else {@code chromium-headless-shell}
 * or {@code chromium} on the PATH; where neither is there and the tests run as root on a Debian-based machine, the
 * set-up installs the Debian package {@code chromium-headless-shell} first (about a minute, once per machine).
 */
final class Chromium {
  private static final List<String> NAMES = List.of("chromium-headless-shell", "chromium");
  /** The longest a page may take to load and be dumped. */
  private static final long TIMEOUT_SECONDS = 120;

  private final Path binary;

  private Chromium(Path binary) {
    this.binary = binary;
  }

  /**
   * @param log where the set-up's install output goes
   * @return the browser, or empty with no way to get one (the reason is in {@code log})
   */
  static Optional<Chromium> find(Path log) throws IOException, InterruptedException {
    Optional<Path> found = locate();
    if (found.isEmpty() && Files.isExecutable(Path.of("/usr/bin/apt-get")) && "root".equals(
        System.getProperty("user.name"))) {
      Files.createDirectories(log.getParent());
      // the package lists may be missing or stale on a fresh machine: read them again when the install fails
      if (run(log, "apt-get", "install", "-y", "-q", "chromium-headless-shell") != 0) {
        run(log, "apt-get", "update", "-q");
        run(log, "apt-get", "install", "-y", "-q", "chromium-headless-shell");
      }
      found = locate();
    }
    return found.map(Chromium::new);
  }

  private static Optional<Path> locate() {
    String given = System.getenv("VARFLOW_BROWSER");
    if (given != null && !given.isBlank()) {
      return Optional.of(Path.of(given)).filter(Files::isExecutable);
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin");
    return NAMES.stream().flatMap(name -> Stream.of(path.split(":")).map(dir -> Path.of(dir, name)))
        .filter(Files::isExecutable).findFirst();
  }

  private static int run(Path log, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
        ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return p.waitFor(10, TimeUnit.MINUTES) ? p.exitValue() : -1;
  }

  /**
   * Loads {@code page} offline (every host name unresolvable) and returns the DOM after the load event.
   *
   * @param profile an empty directory for the browser's profile
   */
  String dumpDom(Path page, Path profile) throws IOException, InterruptedException {
    Path out = profile.resolve("dom.html");
    Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000",
        "--dump-dom", page.toUri().toString()).redirectOutput(out.toFile())
        .redirectError(profile.resolve("stderr.txt").toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(binary + " did not dump " + page + " within " + TIMEOUT_SECONDS + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(binary + " exited with " + p.exitValue() + ": "
          + Files.readString(profile.resolve("stderr.txt")));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return binary.toString();
  }
}
