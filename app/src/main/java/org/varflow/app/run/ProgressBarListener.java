package org.varflow.app.run;

import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.varflow.runtime.RunListener;

/**
 * A progress bar on the terminal, with the energy of the last record; one bar per solve (nested ones too). Bars of
 * runs made at the same time (a study's, with {@code --verbose}) are drawn on lines of their own.
 */
public final class ProgressBarListener implements RunListener {
  private final String name;
  private ProgressBar bar;

  /** A bar named {@code run}. */
  public ProgressBarListener() {
    this("run");
  }

  /** @param name the bar's name, e.g. a study's point */
  public ProgressBarListener(String name) {
    this.name = name;
  }

  @Override
  public void onStart(long plannedSteps) {
    bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(plannedSteps)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
  }

  @Override
  public void onStep(long step) {
    bar.stepTo(step);
  }

  @Override
  public boolean onRecord(Map<String, Object> row) {
    bar.setExtraMessage(String.format(Locale.ROOT, "E=%.4g", (Double) row.get("energy")));
    return true;
  }

  @Override
  public void onEnd() {
    bar.close();
  }
}
