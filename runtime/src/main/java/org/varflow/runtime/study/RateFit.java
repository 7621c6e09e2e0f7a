package org.varflow.runtime.study;

import java.util.Locale;

/**
 * The least-squares line through (u_i, log y_i), u = log x on log–log axes (a rate y ≈ C·x^slope) or u = x on semi-log
 * axes (y ≈ C·e^{slope·x}: an exponential decay at rate −slope), with its 95% confidence interval and R². With k
 * points, the slope is b = S_uv / S_uu, its standard error s_b = √(SSR / (k − 2) / S_uu), and the interval
 * b ± t_{0.975, k−2}·s_b (Student's t); with two points the line is exact and the interval is unknown (NaN).
 *
 * @param scale the abscissa's scale: {@link Scale#LOG_LOG} or {@link Scale#SEMI_LOG}
 * @param points k, the number of (x, y) pairs fitted
 * @param slope b, the exponent of the rate (log–log) or of the exponential (semi-log)
 * @param intercept log C: the line is log y = log C + b·u
 * @param low the lower end of the 95% interval of b (NaN with two points)
 * @param high the upper end (NaN with two points)
 * @param r2 R² = 1 − SSR/SST of the fit in the fitted coordinates (1 when SST = 0)
 */
public record RateFit(Scale scale, int points, double slope, double intercept, double low, double high, double r2) {

  /** The axes a rate is fitted on. */
  public enum Scale {
    /** log y against log x: a power law. */
    LOG_LOG("loglog"),
    /** log y against x: an exponential. */
    SEMI_LOG("semilog");

    private final String id;

    Scale(String id) {
      this.id = id;
    }

    /** @return the name a spec's {@code study.fit} gives it: {@code loglog} or {@code semilog} */
    public String id() {
      return id;
    }

    /** @return the scale named {@code id} ({@code loglog}, {@code semilog}) */
    public static Scale of(String id) {
      for (Scale s : values()) {
        if (s.id.equals(id)) {
          return s;
        }
      }
      throw new IllegalArgumentException("no fit scale '" + id + "'");
    }

    /** @return u(x): log x or x */
    double abscissa(double x) {
      return this == LOG_LOG ? Math.log(x) : x;
    }
  }

  /** @return the fitted line at x: C·x^b (log–log) or C·e^{b·x} (semi-log) */
  public double at(double x) {
    return Math.exp(intercept + slope * scale.abscissa(x));
  }

  /** @return the rate in words, e.g. {@code ~ x^-1.012} or {@code ~ exp(-0.210·x)} with the key's name for x */
  public String law(String key) {
    return scale == Scale.LOG_LOG ? String.format(Locale.ROOT, "~ %s^%.3f", key, slope)
        : String.format(Locale.ROOT, "~ exp(%.4f·%s)", slope, key);
  }

  /**
   * @param x positive abscissae, at least two distinct
   * @param y positive ordinates, as many
   * @return the fit of log y against log x
   * @throws IllegalArgumentException unless there are two or more pairs of positive finite numbers with distinct x
   */
  public static RateFit of(double[] x, double[] y) {
    return of(Scale.LOG_LOG, x, y);
  }

  /**
   * @param scale log–log (x must be positive) or semi-log
   * @param x the abscissae, at least two distinct
   * @param y positive ordinates, as many
   * @return the fit of log y against u(x)
   * @throws IllegalArgumentException unless there are two or more pairs of finite numbers with distinct x, y positive
   *     (and x positive on log–log axes)
   */
  public static RateFit of(Scale scale, double[] x, double[] y) {
    int k = x.length;
    if (k < 2 || y.length != k) {
      throw new IllegalArgumentException("a rate needs two or more (x, y) pairs, got " + k + " and " + y.length);
    }
    double[] u = new double[k];
    double[] v = new double[k];
    double mu = 0;
    double mv = 0;
    for (int i = 0; i < k; i++) {
      boolean xOk = scale == Scale.LOG_LOG ? x[i] > 0 : !Double.isNaN(x[i]);
      if (!(xOk && y[i] > 0) || Double.isInfinite(x[i]) || Double.isInfinite(y[i])) {
        throw new IllegalArgumentException("a " + (scale == Scale.LOG_LOG ? "log-log rate needs positive" : "semi-log"
            + " rate needs positive y and") + " finite numbers, got (" + x[i] + ", " + y[i] + ")");
      }
      u[i] = scale.abscissa(x[i]);
      v[i] = Math.log(y[i]);
      mu += u[i] / k;
      mv += v[i] / k;
    }
    double sxx = 0;
    double sxy = 0;
    double sst = 0;
    for (int i = 0; i < k; i++) {
      sxx += (u[i] - mu) * (u[i] - mu);
      sxy += (u[i] - mu) * (v[i] - mv);
      sst += (v[i] - mv) * (v[i] - mv);
    }
    if (!(sxx > 0)) {
      throw new IllegalArgumentException("a rate needs two or more distinct x");
    }
    double b = sxy / sxx;
    double ssr = 0;
    for (int i = 0; i < k; i++) {
      double e = v[i] - mv - b * (u[i] - mu);
      ssr += e * e;
    }
    double r2 = sst > 0 ? 1 - ssr / sst : 1;
    if (k == 2) {
      return new RateFit(scale, k, b, mv - b * mu, Double.NaN, Double.NaN, r2);
    }
    double half = studentQuantile(0.975, k - 2) * Math.sqrt(ssr / (k - 2) / sxx);
    return new RateFit(scale, k, b, mv - b * mu, b - half, b + half, r2);
  }

  /** @return t with P(T ≤ t) = p for Student's t with ν degrees of freedom, p in (0.5, 1), by bisection on the CDF */
  static double studentQuantile(double p, int nu) {
    double lo = 0;
    double hi = 1;
    while (studentCdf(hi, nu) < p) {
      hi *= 2;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
      double mid = (lo + hi) / 2;
      if (studentCdf(mid, nu) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** P(T ≤ t) for t ≥ 0: 1 − I_{ν/(ν+t²)}(ν/2, 1/2)/2, I the regularized incomplete beta function. */
  static double studentCdf(double t, int nu) {
    return 1 - 0.5 * incompleteBeta(nu / (nu + t * t), nu / 2.0, 0.5);
  }

  /** I_x(a, b) by its continued fraction (modified Lentz), on the side where it converges fast. */
  static double incompleteBeta(double x, double a, double b) {
    if (x <= 0 || x >= 1) {
      return x <= 0 ? 0 : 1;
    }
    double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
    return x < (a + 1) / (a + b + 2) ? front * fraction(x, a, b) / a : 1 - front * fraction(1 - x, b, a) / b;
  }

  /** The continued fraction of I_x(a, b) (Numerical Recipes' betacf), to relative 1e-15. */
  private static double fraction(double x, double a, double b) {
    double tiny = 1e-300;
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 1000; m++) {
      for (int even = 1; even >= 0; even--) {
        double num = even == 1 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 + num * d;
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        c = 1 + num / c;
        c = Math.abs(c) < tiny ? tiny : c;
        h *= d * c;
        if (even == 0 && Math.abs(d * c - 1) < 1e-15) {
          return h;
        }
      }
    }
    return h;
  }

  /** log Γ(z) for z &gt; 0 (Lanczos, g = 7, nine terms: relative 1e-15). */
  static double logGamma(double z) {
    if (z < 0.5) { // reflection: Γ(z)Γ(1 − z) = π / sin(πz)
      return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
    }
    double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    double x = g[0];
    double w = z - 1;
    for (int i = 1; i < g.length; i++) {
      x += g[i] / (w + i);
    }
    double t = w + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (w + 0.5) * Math.log(t) - t + Math.log(x);
  }
}
