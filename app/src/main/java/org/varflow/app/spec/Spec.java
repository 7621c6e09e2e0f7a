package org.varflow.app.spec;

import java.nio.file.Path;
import org.varflow.api.Options;

/**
 * A loaded specification: its tree (with {@code --set} overrides applied and file paths made absolute)
 * and a name for the run directory.
 *
 * @param name the spec file's base name ({@code quickstart} for the bundled one)
 * @param root the whole tree; getters fill in defaults, so after a run it is the resolved spec
 * @param baseDir the directory relative file paths in the spec are resolved against: the spec file's (the
 *     working directory for the bundled quickstart)
 */
public record Spec(String name, Options root, Path baseDir) {}
