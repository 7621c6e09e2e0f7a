package org.varflow.api.flow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.Loss;
import org.varflow.api.tensor.Tensor;

/**
 * A finite-dimensional gradient flow dθ/dt = −G⁻¹∇E(θ) obtained by discretizing a continuous problem.
 *
 * <p>The flow owns its state tensors; solvers move them in place (e.g. θ ← θ + h·v) and call
 * {@link #evaluate} again. Who releases which returned tensor is fixed by the ownership rule of
 * {@link Tensor}: the flow keeps what {@link #state()} returns, the caller owns the velocity of an
 * {@link Evaluation}, the predictions and the parameters. The velocity carries the scaling of the continuous flow (for particles of a
 * mean-field model, −m∇_{θ_j}E), so the solver's time is the continuum time.
 */
public interface DiscreteFlow extends AutoCloseable {

  /** @return the state tensors by name (e.g. {@code a}, {@code W}), live and in a stable order */
  Map<String, Tensor> state();

  /**
   * @return the named arrays a run saves as {@code params/<name>.npy}, as new tensors owned by the caller
   *     (see {@link Tensor}'s ownership rule): copies of the state unless a discretization computes in other
   *     coordinates (e.g. L²-normalized node values) and reports the model's own
   */
  default Map<String, Tensor> parameters() {
    Map<String, Tensor> copies = new LinkedHashMap<>();
    state().forEach((name, t) -> copies.put(name, t.copy()));
    return copies;
  }

  /**
   * The logical shape of a named array of the flow, which tensors of rank 1–2 cannot carry (the (L, M, D) parameters of
   * a network with L layers of M neurons in R^D, held as an (L·M)×D matrix): a run writes {@code params/<name>.npy}
   * and {@code checkpoint/state/<name>.npy} with it and checks what it reads back against it.
   *
   * @param name a name in {@link #state()} or {@link #parameters()}
   * @param tensor the tensor holding the array's elements in row-major (C) order
   * @return the shape on disk, with as many elements as {@code tensor}; by default the tensor's own
   */
  default int[] shape(String name, Tensor tensor) {
    return tensor.shape();
  }

  /**
   * The geometry of the gradient flow (the space and metric in which it descends the energy), for the well-posedness
   * report of a flow that is not linear; the flow declares it (the particle family: Wasserstein-2, or
   * Wasserstein–Fisher–Rao with masses).
   *
   * @return a short phrase, e.g. {@code Wasserstein-2 over parameter measures (particle ODE)}; by default
   *     {@code not declared by the discretization}
   */
  default String geometry() {
    return "not declared by the discretization";
  }

  /**
   * @param withVelocity whether to compute the velocity too
   * @return energy, its parts and (optionally) the velocity at the current state
   */
  Evaluation evaluate(boolean withVelocity);

  /**
   * The velocity alone, for solvers that need no energy at a stage (a second Runge–Kutta stage): by default
   * {@code evaluate(true).velocity()}; a flow whose energy costs extra work overrides this to skip it.
   *
   * @return the velocity as in {@link Evaluation#velocity()}, new tensors owned by the caller
   */
  default Map<String, Tensor> velocity() {
    return evaluate(true).velocity();
  }

  /**
   * @param data inputs (raw, without bias column)
   * @return the predictions f(x_i) of the current state as a fresh n×1 column on the flow's backend
   */
  Tensor predictions(Dataset data);

  /** @return the predictions f(x_i), length n */
  default double[] predict(Dataset data) {
    Tensor f = predictions(data);
    double[] out = f.toDoubleArray();
    f.release();
    return out;
  }

  /** @return the risk R = (1/2n) Σ (f(x_i) − y_i)² of the current predictor on {@code data} */
  default double risk(Dataset data) {
    Tensor f = predictions(data);
    Tensor target = f.factory().of(f.precision(), data.y(), data.n(), 1);
    Tensor r = f.axpyi(-1.0, target);
    double risk = Loss.SQUARED.risk(r);
    Tensor.releaseAll(target, r);
    return risk;
  }

  /**
   * Releases every tensor the flow owns: its state and whatever it formed (data, features, operators). The
   * flow must not be used afterwards. By default the state; a flow that keeps more overrides this.
   */
  @Override
  default void close() {
    state().values().forEach(Tensor::release);
  }

  /** @return the state read as a density u on a parameter domain (density discretizations), else empty */
  default Optional<ParameterDensity> density() {
    return Optional.empty();
  }

  /** @return the affine structure when the energy is quadratic in one state tensor, else empty */
  default Optional<LinearFlow> linear() {
    return Optional.empty();
  }

  /** @return which state tensors are particle positions and masses, when the state is a particle cloud, else empty */
  default Optional<Particles> particles() {
    return Optional.empty();
  }

  /**
   * Numbers that describe the current state beyond the energy and its parts, recorded as history columns after
   * them: the particle family's path norm (a Barron-norm estimate) and the L²(ρ) norm of a, for one.
   *
   * @return column name → value, in the order to record them; by default none
   */
  default Map<String, Double> diagnostics() {
    return Map.of();
  }

  /** @return evaluation on subsets of the training samples, when the risk is an average over them, else empty */
  default Optional<MiniBatches> batches() {
    return Optional.empty();
  }
}
