package org.varflow.api.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.tensor.Precision;
import org.varflow.api.tensor.Tensor;
import org.varflow.api.tensor.TensorFactory;

/**
 * m neurons θ_j = (a_j, w_j) stored as {@code a.npy} (shape (m)) and {@code W.npy} (shape (m, d)) in one
 * directory: the layout that the particle and random-feature discretizations read from
 * {@code discretization.init.npy} and write to {@code params/}.
 */
public final class NeuronFiles {
  /** The {@code init} variant {@code {npy: DIR}} that {@link #read} reads. */
  public static final OptionSchema.Variant INIT = new OptionSchema.Variant("npy", null,
      "neurons from DIR/a.npy (m) and DIR/W.npy (m, d)",
      OptionSchema.builder().path("npy", "directory holding a.npy and W.npy").build(), false);

  private NeuronFiles() {}

  /** The width m of a neuron discretization given neither {@code width} nor {@code init.npy}. */
  public static final int DEFAULT_WIDTH = 256;

  /**
   * @param discretization a {@code discretization} node with {@code width} and {@code init}
   * @return m: {@code width}, else the length of {@code init.npy}'s a.npy, else {@link #DEFAULT_WIDTH}; nothing is
   *     recorded in the node
   */
  public static int width(Options discretization) {
    if (discretization.has("width")) {
      return discretization.getInt("width");
    }
    Optional<Options> init = discretization.sub("init");
    if (init.isPresent() && init.get().has("npy")) {
      int[] shape = Npy.read(Path.of(init.get().getString("npy")).resolve("a.npy")).shape();
      return shape.length > 0 ? shape[0] : DEFAULT_WIDTH;
    }
    return DEFAULT_WIDTH;
  }

  /**
   * Reads the neurons from the directory {@code init.npy} of a {@code discretization} node and checks them
   * against {@code width} (recorded as m when absent).
   *
   * @param discretization the {@code discretization} node (its {@code width} is checked)
   * @param init its {@code init} node, holding {@code npy: DIR}
   * @param d input dimension, including the bias column when the model has one
   * @return {a (m), W (m, d)}
   * @throws SpecException naming the file or key whose shape or value does not fit
   */
  public static Tensor[] read(Options discretization, Options init, int d, TensorFactory tensors, Precision precision) {
    Path dir = Path.of(init.getString("npy"));
    Npy.Array a = Npy.readFinite(dir.resolve("a.npy"));
    Npy.Array w = Npy.readFinite(dir.resolve("W.npy"));
    if (a.shape().length != 1) {
      throw new SpecException(dir.resolve("a.npy").toString(), "expected shape (m), got rank " + a.shape().length);
    }
    int m = a.shape()[0];
    if (w.shape().length != 2 || w.shape()[0] != m || w.shape()[1] != d) {
      throw new SpecException(dir.resolve("W.npy").toString(), "expected shape (" + m + ", " + d
          + ") (width from a.npy; d = input dimension, including the bias column when bias: true), got "
          + Arrays.toString(w.shape()));
    }
    int width = discretization.getInt("width", m);
    if (width != m) {
      throw new SpecException(discretization.keyPath("width"), width + " does not match the " + m + " neurons in a.npy");
    }
    return new Tensor[] {tensors.of(precision, a.data(), m), tensors.of(precision, w.data(), m, d)};
  }
}
