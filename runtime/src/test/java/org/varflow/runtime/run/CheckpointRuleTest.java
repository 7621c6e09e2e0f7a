package org.varflow.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When a run writes a checkpoint (README: every {@code solver.checkpoint_every} steps, or once a minute without it),
 * as the decision {@link RunRecorder} takes after each step, given the time since the last checkpoint: no clock is
 * read here.
 */
class CheckpointRuleTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  /** Without checkpoint_every: not before a minute has passed since the last checkpoint, at any step once it has. */
  @Test
  void withoutCheckpointEveryOnceAMinute() {
    assertThat(RunRecorder.CHECKPOINT_NANOS).isEqualTo(MINUTE);
    for (long step : new long[] {1, 7, 100, 1_000_000}) {
      assertThat(RunRecorder.checkpointDue(false, step, 0, 0)).as("step %d, just after one", step).isFalse();
      assertThat(RunRecorder.checkpointDue(false, step, 0, MINUTE - 1)).as("step %d, 1 ns short", step).isFalse();
      assertThat(RunRecorder.checkpointDue(false, step, 0, MINUTE)).as("step %d, a minute on", step).isTrue();
      assertThat(RunRecorder.checkpointDue(false, step, 0, 5 * MINUTE)).as("step %d, five minutes on", step).isTrue();
    }
  }

  /** With checkpoint_every k: at the multiples of k and nowhere else, however long the steps take. */
  @Test
  void withCheckpointEveryAtItsMultiplesWhateverTheTime() {
    for (long nanos : new long[] {0, MINUTE, 60 * MINUTE}) {
      assertThat(RunRecorder.checkpointDue(false, 25, 25, nanos)).isTrue();
      assertThat(RunRecorder.checkpointDue(false, 50, 25, nanos)).isTrue();
      assertThat(RunRecorder.checkpointDue(false, 26, 25, nanos)).isFalse();
      assertThat(RunRecorder.checkpointDue(false, 49, 25, nanos)).isFalse();
      assertThat(RunRecorder.checkpointDue(false, 7, 1, nanos)).isTrue();
    }
  }

  /** A step where the solve stops (an interruption) always writes one, so that the run can go on from there. */
  @Test
  void aStopAlwaysWritesOne() {
    assertThat(RunRecorder.checkpointDue(true, 3, 0, 0)).isTrue();
    assertThat(RunRecorder.checkpointDue(true, 26, 25, 0)).isTrue();
  }
}
