package org.varflow.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.varflow.api.SpecException;
import org.varflow.api.tensor.Precision;

class NpyTest {
  @TempDir
  Path dir;

  @Test
  void roundTripsFloat64AndFloat32InCOrder() throws Exception {
    double[] data = {1, -2.5, 3e-300, 4, 5, Math.PI};
    Npy.write(dir.resolve("a.npy"), data, new int[] {2, 3}, Precision.FLOAT64);
    Npy.Array back = Npy.read(dir.resolve("a.npy"));
    assertThat(back.shape()).containsExactly(2, 3);
    assertThat(back.data()).containsExactly(data);

    Npy.write(dir.resolve("b.npy"), data, new int[] {6}, Precision.FLOAT32);
    Npy.Array f = Npy.read(dir.resolve("b.npy"));
    assertThat(f.shape()).containsExactly(6);
    assertThat(f.data()[5]).isEqualTo((double) (float) Math.PI);
    // header is padded so that the data starts at a multiple of 64 bytes, as NumPy writes it
    assertThat((Files.size(dir.resolve("b.npy")) - 6 * 4) % 64).isZero();
  }

  @Test
  void readsFortranOrderAndBigEndian() throws Exception {
    // [[1, 2, 3], [4, 5, 6]] stored column by column, big-endian float64
    String dict = "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }";
    String header = dict + " ".repeat(118 - dict.length()) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 6 * 8);
    buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    buf.order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length());
    buf.put(header.getBytes(StandardCharsets.ISO_8859_1)).order(ByteOrder.BIG_ENDIAN);
    for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
      buf.putDouble(v);
    }
    Files.write(dir.resolve("f.npy"), buf.array());
    assertThat(Npy.read(dir.resolve("f.npy")).data()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void rejectsNonNpyAndTruncatedFilesNamingTheFile() throws Exception {
    Files.writeString(dir.resolve("bad.npy"), "hello world");
    assertThatThrownBy(() -> Npy.read(dir.resolve("bad.npy"))).isInstanceOf(SpecException.class)
        .hasMessageContaining("bad.npy").hasMessageContaining("bad magic");
    Npy.write(dir.resolve("t.npy"), new double[] {1, 2, 3}, new int[] {3}, Precision.FLOAT64);
    byte[] full = Files.readAllBytes(dir.resolve("t.npy"));
    Files.write(dir.resolve("t.npy"), java.util.Arrays.copyOf(full, full.length - 8));
    assertThatThrownBy(() -> Npy.read(dir.resolve("t.npy"))).hasMessageContaining("truncated");
    assertThatThrownBy(() -> Npy.read(dir.resolve("missing.npy"))).hasMessage(dir.resolve("missing.npy") + ": file not found");
  }
}
