package org.varflow.app.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.varflow.api.Options;
import org.varflow.api.SpecException;
import org.varflow.api.problem.Dataset;
import org.varflow.api.problem.DensityModel;
import org.varflow.api.problem.DensityWeight;
import org.varflow.api.problem.FeatureDistribution;
import org.varflow.api.problem.Loss;
import org.varflow.api.problem.Model;
import org.varflow.api.problem.ParameterDomain;
import org.varflow.api.problem.RandomFeatureModel;
import org.varflow.api.problem.Regularizer;
import org.varflow.api.problem.Sobolev;
import org.varflow.api.problem.Tikhonov;
import org.varflow.api.problem.TwoLayerModel;
import org.varflow.api.problem.VariationalProblem;
import org.varflow.api.problem.WeightDecay;
import org.varflow.api.tensor.Activation;

/** Builds the continuous problem from the {@code model} and {@code regularizers} nodes of a spec. */
public final class Problems {
  private static final List<String> MODELS = List.of(TwoLayerModel.KIND, RandomFeatureModel.KIND, DensityModel.KIND);
  private static final List<String> REGULARIZERS = List.of(WeightDecay.KIND, Tikhonov.KIND, Sobolev.KIND);
  /** Default half-width of the parameter box Ω = [−2, 2]^{d+1} of the density model. */
  private static final double DOMAIN_HALF_WIDTH = 2.0;

  private Problems() {}

  /**
   * @return the problem with squared loss over {@code train}
   * @throws SpecException naming the bad key
   */
  public static VariationalProblem build(Options root, Dataset train, Dataset test) {
    return new VariationalProblem(train, test, model(root.subOrEmpty("model"), train.d()), Loss.SQUARED,
        regularizers(root));
  }

  /**
   * @return the discretization used when {@code discretization.kind} is not given: {@code particles} for
   *     the two-layer model, {@code random-features} for the random feature model, {@code grid} for the
   *     density model
   */
  public static String defaultDiscretization(Model model) {
    if (model instanceof DensityModel) {
      return "grid";
    }
    return model instanceof RandomFeatureModel ? "random-features" : "particles";
  }

  private static Model model(Options node, int d) {
    String kind = node.getChoice("kind", TwoLayerModel.KIND, MODELS);
    Activation activation;
    try {
      activation = Activation.parse(node.getString("activation", Activation.RELU.id()));
    } catch (IllegalArgumentException e) {
      throw new SpecException(node.keyPath("activation"), e.getMessage());
    }
    boolean bias = node.getBoolean("bias", false);
    if (kind.equals(TwoLayerModel.KIND)) {
      return new TwoLayerModel(activation, bias);
    }
    if (kind.equals(DensityModel.KIND)) {
      return density(node, activation, d);
    }
    Options features = node.subOrEmpty("features");
    String distribution = features.getChoice("distribution", "gaussian", FeatureDistribution.KINDS);
    try {
      return new RandomFeatureModel(activation, bias, new FeatureDistribution(distribution, features.getDouble("scale", 1.0)));
    } catch (IllegalArgumentException e) {
      throw new SpecException(features.keyPath("scale"), e.getMessage());
    }
  }

  /**
   * Ω from {@code model.domain}: {@code kind: box} (default) with {@code lower/upper}, d + 1 numbers each
   * (default [−2, 2]^{d+1}); or {@code kind: circle} (d = 2) with {@code radius} (default 1) and the bias
   * range {@code lower/upper}, one number each (default [−2, 2]). ω from {@code model.weight}.
   */
  private static DensityModel density(Options node, Activation activation, int d) {
    Options domain = node.subOrEmpty("domain");
    boolean circle = domain.getChoice("kind", "box", List.of("box", "circle")).equals("circle");
    if (circle && d != 2) {
      throw new SpecException(domain.keyPath("kind"), "circle puts w on a circle in R², but the data have d = " + d);
    }
    int length = circle ? 1 : d + 1;
    double[] lower = domain.getDoubles("lower", filled(length, -DOMAIN_HALF_WIDTH));
    double[] upper = domain.getDoubles("upper", filled(length, DOMAIN_HALF_WIDTH));
    for (String key : List.of("lower", "upper")) {
      int given = key.equals("lower") ? lower.length : upper.length;
      if (given != length) {
        throw new SpecException(domain.keyPath(key), "needs " + (circle ? "1 number (the range of b)"
            : "d + 1 = " + length + " numbers (θ = (w, b))") + ", got " + given);
      }
    }
    ParameterDomain omega;
    try {
      omega = circle
          ? ParameterDomain.circle(domain.getDouble("radius", 1.0), lower[0], upper[0])
          : ParameterDomain.box(lower, upper);
    } catch (IllegalArgumentException e) {
      throw new SpecException(domain.keyPath(e.getMessage().startsWith("radius") ? "radius" : "lower"), e.getMessage());
    }
    Options weight = node.subOrEmpty("weight");
    String kind = weight.getChoice("kind", "uniform", DensityWeight.KINDS);
    try {
      return new DensityModel(activation, omega, new DensityWeight(kind, weight.getDouble("scale", 1.0)));
    } catch (IllegalArgumentException e) {
      throw new SpecException(weight.keyPath("scale"), e.getMessage());
    }
  }

  private static double nonNegative(Options node, String key) {
    double v = node.getDouble(key, 1.0);
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new SpecException(node.keyPath(key), "must be a finite number ≥ 0, got " + v);
    }
    return v;
  }

  private static double[] filled(int n, double value) {
    double[] out = new double[n];
    Arrays.fill(out, value);
    return out;
  }

  private static List<Regularizer> regularizers(Options root) {
    List<Regularizer> out = new ArrayList<>();
    for (Options r : root.list("regularizers")) {
      String kind = r.getChoice("kind", null, REGULARIZERS);
      double strength = r.requireDouble("strength");
      if (!(strength >= 0) || Double.isInfinite(strength)) {
        throw new SpecException(r.keyPath("strength"), "must be a finite number ≥ 0, got " + strength);
      }
      out.add(switch (kind) {
        case Tikhonov.KIND -> new Tikhonov(strength);
        case Sobolev.KIND -> new Sobolev(strength, nonNegative(r, "gradient"), nonNegative(r, "l2"));
        default -> new WeightDecay(strength);
      });
    }
    return out;
  }
}
