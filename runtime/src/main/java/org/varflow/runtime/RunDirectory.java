package org.varflow.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.varflow.api.SpecException;
import org.varflow.api.io.AtomicFiles;
import org.varflow.api.solve.Solver;

/**
 * Where a run writes: a new directory {@code runs/<time>-<spec name>} that no concurrent run shares, or a directory
 * the user names, which is checked before any work is done and never silently mixed with an older run's files.
 *
 * <p>varflow marks each run directory it creates with the file {@value #MARKER}, which also pins what determines
 * the run's numbers (so that a resumed run continues the same computation), and locks it while a process writes
 * it ({@value #LOCK}, an operating-system lock released when the process ends, however it ends). {@code --force}
 * replaces only a marked directory, and only when everything in it is what varflow writes.
 */
public final class RunDirectory {
  /** The file by which varflow recognises a run directory that it wrote. */
  static final String MARKER = ".varflow-run";
  /** The file locked while a process writes the run directory. */
  static final String LOCK = ".varflow-lock";
  /** The entries varflow writes in a run directory (and a nested run's, {@code network/}). */
  private static final Set<String> WRITTEN = Set.of(MARKER, LOCK, "spec.yaml", "history.csv", "summary.json", "params",
      "plots", "network", "checkpoint", "checkpoint.new", "checkpoint.old");
  /** A temporary file of {@link AtomicFiles#write} left by a kill: {@code .<name>.<pid>.<thread>.tmp}. */
  private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.\\d+\\.\\d+\\.tmp");
  /** Separates a pinned path from the digest of its content. */
  private static final String DIGEST = " sha256:";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunDirectory() {}

  /**
   * Creates {@code parent/<yyyyMMdd-HHmmss>-<name>}, or with a suffix {@code -2}, {@code -3}, … the first such name
   * not taken: each directory is created atomically, so runs started in the same second get different ones.
   *
   * @return the new directory, holding only its marker
   * @throws IOException if {@code parent} cannot be created or written
   */
  public static Path createUnique(Path parent, String name) throws IOException {
    Files.createDirectories(parent);
    String base = LocalDateTime.now().format(STAMP) + "-" + name;
    for (int k = 1; ; k++) {
      Path dir = parent.resolve(k == 1 ? base : base + "-" + k);
      try {
        Files.createDirectory(dir);
        mark(dir, Map.of());
        return dir;
      } catch (FileAlreadyExistsException taken) {
        // another run took this name: try the next suffix
      }
    }
  }

  /**
   * Checks that {@code dir} can be a new run's directory, before the run is prepared: it is not a file, it is empty
   * or absent (or, with {@code replace}, a run directory that varflow wrote and that holds nothing else), and it can
   * be created (tried, and undone).
   *
   * @param option the option that named the directory, for the message (e.g. {@code --out})
   * @throws SpecException naming the option and the directory
   */
  public static void check(Path dir, boolean replace, String option) {
    if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
      throw new SpecException(option, dir + " is a symbolic link to " + target(dir) + ", which does not exist");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new SpecException(option, dir + " is a file, not a directory");
    }
    if (Files.isDirectory(dir)) {
      List<String> entries = entries(dir, option);
      if (!entries.isEmpty()) {
        checkReplaceable(dir, entries, replace, option);
      }
      if (!Files.isWritable(dir)) {
        throw new SpecException(option, dir + " is not writable");
      }
      return;
    }
    probe(dir, option);
  }

  private static void checkReplaceable(Path dir, List<String> entries, boolean replace, String option) {
    if (!replace) {
      throw new SpecException(option, dir + " is not empty; choose a new directory, or add --force to replace the"
          + " run in it");
    }
    if (!entries.contains(MARKER)) {
      throw new SpecException(option, dir + " is not a run directory that varflow wrote (it has no " + MARKER
          + "); --force replaces only those");
    }
    List<String> foreign = entries.stream().filter(e -> !written(e)).sorted().toList();
    if (!foreign.isEmpty()) {
      throw new SpecException(option, dir + " holds files varflow did not write: " + String.join(", ", foreign)
          + "; --force replaces a run directory only when it holds nothing else");
    }
  }

  /** @return whether {@code name} is an entry varflow writes in a run directory */
  private static boolean written(String name) {
    Matcher temporary = TEMPORARY.matcher(name);
    return WRITTEN.contains(name) || temporary.matches() && WRITTEN.contains(temporary.group(1));
  }

  /** Creates the missing directories of {@code dir} and removes them again: whatever stops a run there stops here. */
  private static void probe(Path dir, String option) {
    Path absolute = dir.toAbsolutePath();
    List<Path> missing = new ArrayList<>();
    for (Path p = absolute; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
      missing.add(p);
    }
    Path existing = missing.isEmpty() ? absolute : missing.get(missing.size() - 1).getParent();
    if (existing != null && Files.exists(existing) && !Files.isDirectory(existing)) {
      throw new SpecException(option, dir + " cannot be created: " + existing + " is not a directory");
    }
    try {
      Files.createDirectories(absolute);
    } catch (IOException | SecurityException e) {
      throw new SpecException(option, dir + " cannot be created: " + reason(e));
    } finally {
      for (Path p : missing) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a directory created by someone else meanwhile, or not created at all: left as it is
        }
      }
    }
  }

  /** @return why a directory could not be created, in words (the operating system's reason where it gives one) */
  private static String reason(Exception e) {
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e instanceof AccessDeniedException ? "permission denied"
        : e instanceof NoSuchFileException ? "the file system does not allow it (no such file or directory)"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String target(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "a path that cannot be read";
    }
  }

  /**
   * Makes {@code dir}, checked by {@link #check}, ready for a new run: created, marked, and, with {@code replace},
   * emptied of the earlier run (of what varflow wrote there, which is all it holds); the directory is locked
   * meanwhile, so a run still writing it is not replaced.
   *
   * @return {@code dir}
   * @throws SpecException when it cannot be a new run's directory, or a process is writing it
   * @throws IOException if it cannot be created or emptied
   */
  public static Path prepare(Path dir, boolean replace, String option) throws IOException {
    check(dir, replace, option);
    Files.createDirectories(dir);
    try (Lock lock = lock(dir)) {
      check(dir, replace, option); // as it is now that no process writes it
      for (String entry : entries(dir, option)) {
        AtomicFiles.deleteTree(dir.resolve(entry));
      }
      mark(dir, Map.of());
    }
    return dir;
  }

  /**
   * Marks {@code dir} as the directory of the run of {@code spec} and pins what determines its numbers: every key of
   * the resolved spec (but {@code solver.checkpoint_every}) and the content of every file or directory it names.
   *
   * @param spec the spec as run: every default filled in, file paths absolute, the backend that runs it
   */
  static void pin(Path dir, Spec spec) throws IOException {
    Map<String, Object> marker = new LinkedHashMap<>();
    marker.put("spec", spec.name());
    marker.put("pins", pins(spec));
    mark(dir, marker);
  }

  /**
   * Checks that {@code spec} is the computation pinned in {@code dir} ({@link #pin}), so that resuming it continues
   * the same numbers.
   *
   * @throws SpecException naming the first key whose value, or whose file's content, changed
   */
  static void checkPinned(Path dir, Spec spec) {
    JsonNode pinned = marker(dir).map(m -> m.path("pins")).orElse(JSON.createObjectNode());
    if (pinned.isEmpty()) {
      return; // a run directory from before pins were recorded: nothing to compare with
    }
    Map<String, String> now = pins(spec);
    List<String> keys = new ArrayList<>(now.keySet());
    pinned.fieldNames().forEachRemaining(k -> {
      if (!now.containsKey(k)) {
        keys.add(k);
      }
    });
    for (String key : keys) {
      String was = pinned.path(key).asText(null);
      String is = now.get(key);
      if (!Objects.equals(was, is)) {
        String change = was == null ? "was not set when the run started"
            : is == null ? "was removed (it was " + shown(was) + ")"
            : shown(was).equals(shown(is)) ? "names " + shown(is) + ", whose content changed since the run started"
            : "changed from " + shown(was) + " to " + shown(is);
        throw new SpecException(dir.resolve("spec.yaml") + ": " + key, change + "; a resumed run continues the"
            + " computation it started: start a new run for this one");
      }
    }
  }

  /** @return a pinned value without its digest */
  private static String shown(String pin) {
    int digest = pin.indexOf(DIGEST);
    return digest < 0 ? pin : pin.substring(0, digest);
  }

  /** @return key → value of the spec's leaves; a value naming a file or directory also gets its content's digest */
  private static Map<String, String> pins(Spec spec) {
    Map<String, String> pins = new LinkedHashMap<>();
    flatten("", spec.root().asMap(), pins);
    pins.remove("solver." + Solver.CHECKPOINT_EVERY);
    pins.replaceAll((key, value) -> {
      Path file = Path.of(value).isAbsolute() ? Path.of(value) : null;
      return file != null && Files.exists(file) ? value + DIGEST + digest(file) : value;
    });
    return pins;
  }

  private static void flatten(String key, Object value, Map<String, String> out) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(key.isEmpty() ? String.valueOf(k) : key + "." + k, v, out));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(key + "[" + i + "]", list.get(i), out);
      }
      if (list.isEmpty()) {
        out.put(key, "[]");
      }
    } else {
      out.put(key, String.valueOf(value));
    }
  }

  /** @return the SHA-256 of a file, or of a directory's regular files (names and contents, in name order) */
  private static String digest(Path path) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      List<Path> files;
      if (Files.isDirectory(path)) {
        try (Stream<Path> list = Files.list(path)) {
          files = list.filter(Files::isRegularFile).sorted().toList();
        }
      } else {
        files = List.of(path);
      }
      byte[] buffer = new byte[1 << 16];
      for (Path f : files) {
        sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(f)) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new SpecException(path.toString(), "cannot be read: " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Writes the marker of a run directory, with {@code marker}'s entries. */
  private static void mark(Path dir, Map<String, ?> marker) throws IOException {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("varflow", "run directory");
    content.putAll(marker);
    AtomicFiles.write(dir.resolve(MARKER), JSON.writeValueAsString(content) + "\n");
  }

  /** @return the marker's content, empty when {@code dir} has none */
  static Optional<JsonNode> marker(Path dir) {
    Path file = dir.resolve(MARKER);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new SpecException(file.toString(), "unreadable: " + e.getMessage());
    }
  }

  /**
   * @return the run's spec, {@code dir/spec.yaml} (every default filled in), named as the run was named
   * @throws SpecException when {@code dir} holds no run
   */
  public static Spec spec(Path dir) {
    if (!Files.isRegularFile(dir.resolve("spec.yaml"))) {
      throw new SpecException(dir.toString(), "is not a run directory (it holds no spec.yaml)");
    }
    Spec spec = Spec.load(dir.resolve("spec.yaml"));
    return marker(dir).map(m -> m.path("spec").asText(null)).map(name -> new Spec(name, spec.root(), spec.baseDir()))
        .orElse(spec);
  }

  /**
   * @return the status the run's {@code summary.json} records ({@code completed}, {@code stopped},
   *     {@code interrupted}, {@code diverged}, {@code failed}); empty while the run goes on, or after it was killed
   */
  public static Optional<String> status(Path dir) {
    Path summary = dir.resolve("summary.json");
    try {
      return Files.isRegularFile(summary) ? Optional.ofNullable(JSON.readTree(summary.toFile()).path("status")
          .asText(null)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // cut off by a kill while it was written: as if absent
    }
  }

  /** @return the status of the run in {@code dir} when it is done ({@code completed}, or {@code stopped} by its listener) */
  public static Optional<String> completed(Path dir) {
    return status(dir).filter(s -> s.equals("completed") || s.equals("stopped"));
  }

  /**
   * Locks {@code dir} for this process until the lock is closed; the lock goes with the process however it ends.
   *
   * @throws SpecException naming {@code dir} when another process (or another run of this one) writes it
   * @throws IOException if the lock file cannot be written
   */
  public static Lock lock(Path dir) throws IOException {
    FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      channel.close();
      throw new SpecException(dir.toString(), "is in use by another run of this process");
    }
    if (lock == null) {
      ByteBuffer pid = ByteBuffer.allocate(32);
      channel.read(pid, 0);
      channel.close();
      String holder = new String(pid.array(), 0, pid.position(), StandardCharsets.UTF_8).trim();
      throw new SpecException(dir.toString(), "is in use by another varflow process" + (holder.isEmpty() ? ""
          : " (pid " + holder + ")") + "; wait for it to end, or stop it first");
    }
    channel.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
        0);
    return new Lock(channel);
  }

  /** A run directory held by this process ({@link #lock}); closing it lets other processes write the directory. */
  public static final class Lock implements AutoCloseable {
    private final FileChannel channel;

    private Lock(FileChannel channel) {
      this.channel = channel;
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
      channel.close(); // releases the lock
    }
  }

  /** @return the names in {@code dir} but the lock file (which a directory keeps once a run has locked it) */
  private static List<String> entries(Path dir, String option) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).filter(name -> !name.equals(LOCK)).sorted().toList();
    } catch (IOException e) {
      throw new SpecException(option, dir + " cannot be read: " + e.getMessage());
    }
  }
}
