package org.example.midpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import org.varflow.api.flow.DiscreteFlow;
import org.varflow.api.solve.SolveContext;
import org.varflow.api.tensor.Tensor;
import org.varflow.solvers.stepping.TimeStepper;

/**
 * The explicit midpoint rule, second order: θ ← θ + h·v(θ + h/2·v(θ)). The base gives it step, steps, time,
 * record_every, checkpoints, resume, progress and history.
 */
public final class Midpoint extends TimeStepper {
  @Override
  public String id() {
    return "midpoint";
  }

  @Override
  public String description() {
    return "explicit midpoint rule θ ← θ + h·v(θ + h/2·v(θ)), second order";
  }

  @Override
  protected Step start(SolveContext context, double h) {
    DiscreteFlow flow = context.flow();
    Map<String, Tensor> state = flow.state();
    return (k, eval) -> {
      Map<String, Tensor> start = new LinkedHashMap<>();
      eval.velocity().forEach((name, v) -> {
        start.put(name, state.get(name).copy());
        state.get(name).axpyi(h / 2, v); // the midpoint θ + h/2·v(θ)
        v.release();
      });
      Map<String, Tensor> middle = flow.velocity(); // the second stage needs no energy
      middle.forEach((name, v) -> {
        state.get(name).scalei(0).addi(start.get(name)).axpyi(h, v);
        Tensor.releaseAll(v, start.get(name));
      });
    };
  }
}
