package org.varflow.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Off a terminal a run prints one progress line per interval, with the estimate of the time left. */
class ProgressLineListenerTest {

  @Test
  void oneLinePerIntervalWithStepsEnergyAndTimeLeft() {
    StringWriter text = new StringWriter();
    long[] now = {0};
    ProgressLineListener listener = new ProgressLineListener(new PrintWriter(text), () -> now[0], 5_000_000_000L);
    listener.onStart(1000);
    listener.onRecord(Map.of("energy", 0.5));
    for (int step = 1; step <= 1000; step++) {
      now[0] += 20_000_000L; // 20 ms per step: 20 s in all, a line every 250 steps
      if (step == 300) {
        listener.onRecord(Map.of("energy", 0.0123));
      }
      listener.onStep(step);
    }
    assertThat(text.toString().lines()).containsExactly(
        "progress: step 250/1000 (25%), energy 0.5000, 5 s elapsed, about 15 s left",
        "progress: step 500/1000 (50%), energy 0.01230, 10 s elapsed, about 10 s left",
        "progress: step 750/1000 (75%), energy 0.01230, 15 s elapsed, about 5 s left",
        "progress: step 1000/1000 (100%), energy 0.01230, 20 s elapsed, about 0 s left");
  }
}
