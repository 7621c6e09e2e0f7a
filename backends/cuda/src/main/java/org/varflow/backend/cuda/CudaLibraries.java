package org.varflow.backend.cuda;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.varflow.backend.support.NativeLibraries;

/**
 * Finds the machine's CUDA 13 libraries and loads them before the JNI bindings, which name them only by
 * soname. No CUDA library is shipped with varflow; they are looked up, in this order, in:
 * <ol>
 *   <li>the directories of the system property {@value #PATH_PROPERTY} or the environment variable
 *       {@value #PATH_VARIABLE} (path-separated);
 *   <li>{@code $CUDA_HOME} and {@code $CUDA_PATH} ({@code lib64}, {@code lib}, {@code targets/x86_64-linux/lib});
 *   <li>{@code /usr/local/cuda-13*} and {@code /usr/local/cuda} (the same subdirectories);
 *   <li>the {@code nvidia/*}{@code /lib} directories of Python's CUDA wheels under {@code $VIRTUAL_ENV},
 *       {@code $CONDA_PREFIX}, {@code ~/.local} and {@code /usr/local/lib} / {@code /usr/lib}
 *       ({@code python3.*}/{@code site-packages} or {@code dist-packages});
 * </ol>
 * and finally by the dynamic linker ({@code LD_LIBRARY_PATH}, {@code ldconfig}), which is also where the
 * driver's {@code libcuda.so.1} comes from.
 */
final class CudaLibraries {
  /** System property naming extra directories to search first. */
  static final String PATH_PROPERTY = "varflow.cuda.path";
  /** Environment variable naming extra directories to search first. */
  static final String PATH_VARIABLE = "VARFLOW_CUDA_PATH";
  /** The driver library, installed with the NVIDIA driver rather than the toolkit. */
  static final String DRIVER = "libcuda.so.1";
  /**
   * The toolkit libraries the bindings need, in dependency order (each one's dependencies before it), so that
   * loading them one by one from absolute paths lets the dynamic linker resolve every soname.
   */
  static final List<String> TOOLKIT = List.of("libcudart.so.13", "libnvJitLink.so.13", "libcusparse.so.12",
      "libcublasLt.so.13", "libcublas.so.13", "libcusolver.so.12", "libcusolverMg.so.12", "libnvrtc.so.13");

  private final List<Path> directories;

  /** @param directories where to look, in order */
  CudaLibraries(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /** @return the search path of this JVM: the property, the environment and the usual install locations */
  static CudaLibraries ofThisMachine() {
    return new CudaLibraries(searchPath(System.getProperty(PATH_PROPERTY), System.getenv()));
  }

  /**
   * @param property value of {@value #PATH_PROPERTY}, or null
   * @param env the environment
   * @return existing directories to search, in order, without duplicates
   */
  static List<Path> searchPath(String property, Map<String, String> env) {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String explicit : new String[] {property, env.get(PATH_VARIABLE)}) {
      if (explicit != null) {
        for (String dir : explicit.split(File.pathSeparator)) {
          if (!dir.isBlank()) {
            dirs.add(Path.of(dir));
          }
        }
      }
    }
    List<Path> roots = new ArrayList<>();
    for (String var : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
      if (env.get(var) != null && !env.get(var).isBlank()) {
        roots.add(Path.of(env.get(var)));
      }
    }
    roots.addAll(children(Path.of("/usr/local"), "cuda-13*"));
    roots.add(Path.of("/usr/local/cuda"));
    for (Path root : roots) {
      dirs.add(root.resolve("lib64"));
      dirs.add(root.resolve("lib"));
      dirs.add(root.resolve("targets/x86_64-linux/lib"));
    }
    List<Path> prefixes = new ArrayList<>();
    for (String var : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
      if (env.get(var) != null && !env.get(var).isBlank()) {
        prefixes.add(Path.of(env.get(var)));
      }
    }
    if (env.get("HOME") != null) {
      prefixes.add(Path.of(env.get("HOME"), ".local"));
    }
    prefixes.add(Path.of("/usr/local"));
    prefixes.add(Path.of("/usr"));
    for (Path prefix : prefixes) {
      for (Path python : children(prefix.resolve("lib"), "python3*")) {
        for (String packages : new String[] {"site-packages", "dist-packages"}) {
          for (Path wheel : children(python.resolve(packages).resolve("nvidia"), "*")) {
            dirs.add(wheel.resolve("lib"));
          }
        }
      }
    }
    return dirs.stream().filter(Files::isDirectory).toList();
  }

  /** @return the entries of {@code dir} matching the glob, sorted (empty if it does not exist) */
  private static List<Path> children(Path dir, String glob) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
      entries.forEach(out::add);
    } catch (IOException e) {
      return List.of();
    }
    out.sort(null);
    return out;
  }

  /**
   * @return whether the dynamic linker can find the driver library: in its cache ({@code /etc/ld.so.cache}), a
   *     directory of {@code LD_LIBRARY_PATH}, its default directories or WSL's driver directory. Checked before any
   *     binding is loaded, so that a machine without a GPU spends nothing on the CUDA backend.
   */
  static boolean driverPresent() {
    List<Path> dirs = new ArrayList<>();
    String ldPath = System.getenv("LD_LIBRARY_PATH");
    if (ldPath != null) {
      for (String dir : ldPath.split(File.pathSeparator)) {
        if (!dir.isBlank()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    for (String dir : new String[] {"/usr/lib/wsl/lib", "/lib64", "/usr/lib64", "/lib/x86_64-linux-gnu",
        "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib"}) {
      dirs.add(Path.of(dir));
    }
    if (dirs.stream().anyMatch(d -> Files.exists(d.resolve(DRIVER)))) {
      return true;
    }
    try {
      byte[] cache = Files.readAllBytes(Path.of("/etc/ld.so.cache"));
      return new String(cache, StandardCharsets.ISO_8859_1).contains(DRIVER + "\0");
    } catch (IOException e) {
      return true; // no cache to consult: let the dynamic linker decide
    }
  }

  /** @return the reason given when {@link #driverPresent()} is false */
  static String noDriver() {
    return "no NVIDIA driver: " + DRIVER + " not found (install the NVIDIA driver, 580 or newer for CUDA 13)";
  }

  /** @return the directories searched, in order */
  List<Path> directories() {
    return directories;
  }

  /** @return the first file named {@code soname} in the search directories */
  Optional<Path> find(String soname) {
    return directories.stream().map(d -> d.resolve(soname)).filter(Files::isRegularFile).findFirst();
  }

  /**
   * Loads every toolkit library found in the search directories, in dependency order; one not found is left to
   * the dynamic linker when the bindings load.
   *
   * @return the files loaded
   * @throws UnsatisfiedLinkError if a file found cannot be loaded (wrong architecture, a missing dependency)
   */
  List<Path> preload() {
    List<Path> loaded = new ArrayList<>();
    for (String soname : TOOLKIT) {
      Optional<Path> file = find(soname);
      if (file.isPresent()) {
        System.load(file.get().toAbsolutePath().toString());
        loaded.add(file.get());
      }
    }
    return loaded;
  }

  /**
   * @param error what loading the JNI bindings threw
   * @return the reason in the user's terms: the driver missing, a toolkit library missing (with where it was
   *     looked for and how to point varflow at it), or the loader's own message
   */
  String explain(Throwable error) {
    return NativeLibraries.missing(error).map(soname -> soname.startsWith("libcuda.so") ? noDriver()
        : "CUDA 13 library " + soname + " not found; searched " + describeSearch() + " and the dynamic linker's"
            + " path; set " + PATH_VARIABLE + " to the directory that holds it")
        .orElseGet(() -> "the CUDA bindings failed to load: " + NativeLibraries.messages(error));
  }

  /** @return the search directories, or a note that none of the usual ones exists */
  String describeSearch() {
    return directories.isEmpty() ? "no CUDA directories (none of the usual locations exists)"
        : directories.toString();
  }
}
