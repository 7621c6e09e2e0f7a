package org.varflow.models;

import java.util.Arrays;
import org.varflow.api.OptionSchema;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.ModelKind;
import org.varflow.api.problem.ParameterDomain;

/**
 * {@code model.kind: density}: f(x) = ∫_Ω u(θ) σ(w·x + b) dθ for a signed density u on a parameter domain
 * Ω of θ = (w, b), with the weight ω of the Sobolev space H¹_ω(Ω).
 */
public final class DensityKind implements ModelKind {
  /** Default half-width of the parameter box Ω = [−2, 2]^{d+1}, and of the bias range on a circle. */
  private static final double HALF_WIDTH = 2.0;
  private static final OptionSchema OPTIONS = Activations.declare(OptionSchema.builder())
      .node("domain", "the parameter domain Ω", OptionSchema.builder()
          .variant("kind", "box", "Ω = [lower, upper] ⊂ R^{d+1}", OptionSchema.builder()
              .numbers("lower", null, "d + 1 lower bounds of θ = (w, b)").computedDefault("−2 each")
              .numbers("upper", null, "d + 1 upper bounds").computedDefault("2 each")
              .build(), true)
          .variant("kind", "circle", "d = 2: w on the circle of radius r, Ω = S¹_r × [lower, upper] ∋ (ϕ, b)",
              OptionSchema.builder()
                  .number("radius", 1.0, "r").positive()
                  .numbers("lower", new double[] {-HALF_WIDTH}, "lower bound of b (one number)")
                  .numbers("upper", new double[] {HALF_WIDTH}, "upper bound of b (one number)")
                  .build(), false)
          .build())
      .node("weight", "the weight ω of H¹_ω(Ω)", OptionSchema.builder()
          .choice("kind", "uniform", "uniform: ω = 1; gaussian: ω(θ) = exp(−|θ|²/(2s²))", DensityWeight.KINDS)
          .number("scale", 1.0, "s of the gaussian weight").positive()
          .build())
      .build();

  @Override
  public String id() {
    return DensityModel.KIND;
  }

  @Override
  public String description() {
    return "signed parameter density f(x) = ∫_Ω u(θ) σ(w·x + b) dθ on a box or S¹ × [b₀, b₁]";
  }

  @Override
  public OptionSchema options() {
    return OPTIONS;
  }

  @Override
  public Model create(Options node, Dataset train) {
    int d = train.d();
    Options domain = node.sub("domain").orElseThrow();
    boolean circle = domain.getString("kind").equals("circle");
    if (circle && d != 2) {
      throw new SpecException(domain.keyPath("kind"), "circle puts w on a circle in R², but the data have d = " + d);
    }
    int length = circle ? 1 : d + 1;
    double[] lower = domain.getDoubles("lower", filled(length, -HALF_WIDTH));
    double[] upper = domain.getDoubles("upper", filled(length, HALF_WIDTH));
    for (String key : new String[] {"lower", "upper"}) {
      int given = key.equals("lower") ? lower.length : upper.length;
      if (given != length) {
        throw new SpecException(domain.keyPath(key), "needs " + (circle ? "1 number (the range of b)"
            : "d + 1 = " + length + " numbers (θ = (w, b))") + ", got " + given);
      }
    }
    ParameterDomain omega;
    try {
      omega = circle
          ? ParameterDomain.circle(domain.getDouble("radius"), lower[0], upper[0])
          : ParameterDomain.box(lower, upper);
    } catch (IllegalArgumentException e) {
      throw new SpecException(domain.keyPath("lower"), e.getMessage());
    }
    Options weight = node.sub("weight").orElseThrow();
    return new DensityModel(Activations.read(node), omega,
        new DensityWeight(weight.getString("kind"), weight.getDouble("scale")));
  }

  @Override
  public String defaultDiscretization() {
    return "grid";
  }

  private static double[] filled(int n, double value) {
    double[] out = new double[n];
    Arrays.fill(out, value);
    return out;
  }
}
