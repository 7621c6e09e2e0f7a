package org.varflow.dynamics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Tensor;
import org.varflow.solvers.stepping.TimeStepper;

/**
 * Heun's method (explicit trapezoidal rule), second order for any flow: θ̂ = θ + h·v(θ), θ ← θ + h/2·(v(θ) + v(θ̂)).
 * The second stage asks the flow for its velocity alone.
 */
public final class Heun extends TimeStepper {
  @Override
  public String id() {
    return "heun";
  }

  @Override
  public String description() {
    return "Heun's method θ ← θ + h/2·(v(θ) + v(θ + h·v(θ))), second order";
  }

  @Override
  protected Step start(SolveContext context, double h) {
    DiscreteFlow flow = context.flow();
    Map<String, Tensor> state = flow.state();
    return (k, eval) -> {
      Map<String, Tensor> start = new LinkedHashMap<>();
      eval.velocity().forEach((name, v) -> {
        start.put(name, state.get(name).copy());
        state.get(name).axpyi(h, v); // θ̂ = θ + h·v(θ)
      });
      Map<String, Tensor> predicted = flow.velocity();
      eval.velocity().forEach((name, v) -> {
        state.get(name).scalei(0).addi(start.get(name)).axpyi(h / 2, v).axpyi(h / 2, predicted.get(name));
        Tensor.releaseAll(v, start.get(name), predicted.get(name));
      });
    };
  }
}
