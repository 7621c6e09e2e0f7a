package org.varflow.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long history is read for a plot thinned evenly to at most twice the asked rows, with its first and last rows. */
class HistoryFileTest {
  @TempDir
  Path tmp;

  @Test
  void aLongHistoryIsThinnedEvenlyKeepingTheFirstAndLastRows() throws Exception {
    StringBuilder csv = new StringBuilder("step,time,energy\n");
    for (int k = 0; k < 10_000; k++) {
      csv.append(k).append(',').append(0.5 * k).append(',').append(Math.exp(-1e-3 * k)).append('\n');
    }
    Path file = Files.writeString(tmp.resolve("history.csv"), csv);
    List<Map<String, Object>> rows = HistoryFile.sample(file, 100);
    assertThat(rows.size()).isBetween(100, 201);
    assertThat(rows.get(0).get("step")).isEqualTo(0L);
    assertThat(rows.get(rows.size() - 1).get("step")).isEqualTo(9999L);
    long stride = (Long) rows.get(1).get("step");
    assertThat(Long.bitCount(stride)).as("a power of two").isEqualTo(1);
    for (int i = 1; i < rows.size() - 1; i++) {
      assertThat((Long) rows.get(i).get("step")).isEqualTo(i * stride);
    }
    assertThat(HistoryFile.sample(file, 100_000)).hasSize(10_000).isEqualTo(HistoryFile.read(file));
  }
}
