package org.varflow.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.varflow.api.SpecException;
import org.varflow.api.tensor.Precision;

/**
 * Reads and writes NumPy {@code .npy} files (format 1.0/2.0/3.0, little- or big-endian float64, float32,
 * int64, int32; C or Fortran order on read, C order on write). Writes are atomic: a reader never sees a
 * half-written file.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fi])(\\d)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * An array read from a file: elements in C (row-major) order, converted to double.
   *
   * @param data elements
   * @param shape extents, outermost first
   */
  public record Array(double[] data, int[] shape) {}

  /**
   * @param file an .npy file
   * @return its elements in C order
   * @throws SpecException naming the file when it is missing, unreadable or not a supported .npy
   */
  public static Array read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw SpecException.unreadable(file, e);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (byte b : MAGIC) {
      if (bytes.length < 10 || buf.get() != b) {
        throw new SpecException(file.toString(), "not a NumPy .npy file (bad magic)");
      }
    }
    int major = buf.get();
    buf.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : bytes.length >= 12 ? buf.getInt() : -1;
    if (headerLen < 0 || headerLen > buf.remaining()) {
      throw new SpecException(file.toString(), "truncated: the header is cut off (" + bytes.length + " bytes in all)");
    }
    String header = new String(bytes, buf.position(), headerLen,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    buf.position(buf.position() + headerLen);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shapeM = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shapeM.find()) {
      throw new SpecException(file.toString(), "unsupported .npy header " + header.trim()
          + " (need a float64, float32, int64 or int32 array)");
    }
    int[] shape = parseShape(file, shapeM.group(1));
    long count = 1;
    for (int s : shape) {
      count *= s;
    }
    int width = Integer.parseInt(descr.group(3));
    char type = descr.group(2).charAt(0);
    if ((type == 'f' && width != 4 && width != 8) || (type == 'i' && width != 4 && width != 8)) {
      throw new SpecException(file.toString(), "unsupported dtype " + descr.group(0) + " (need float64, float32, int64 or int32)");
    }
    if (buf.remaining() != count * width) {
      throw new SpecException(file.toString(), "truncated: header says " + count + " elements of " + width
          + " bytes, file has " + buf.remaining() + " data bytes");
    }
    buf.order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    double[] data = new double[(int) count];
    for (int i = 0; i < data.length; i++) {
      data[i] = type == 'f' ? (width == 8 ? buf.getDouble() : buf.getFloat()) : (width == 8 ? buf.getLong() : buf.getInt());
    }
    if (fortran.group(1).equals("True") && shape.length == 2) {
      data = transpose(data, shape[1], shape[0]);
    } else if (fortran.group(1).equals("True") && shape.length > 2) {
      throw new SpecException(file.toString(), "Fortran-order arrays of rank > 2 are not supported");
    }
    return new Array(data, shape);
  }

  /**
   * {@link #read} for data and initial values, which must be numbers.
   *
   * @throws SpecException naming the file and the index of the first element that is NaN or infinite
   */
  public static Array readFinite(Path file) {
    Array array = read(file);
    double[] data = array.data();
    int cols = array.shape().length == 2 ? array.shape()[1] : 1;
    for (int i = 0; i < data.length; i++) {
      if (!Double.isFinite(data[i])) {
        throw new SpecException(file.toString(), "element [" + i / cols + (array.shape().length == 2 ? ", " + i % cols : "")
            + "] is " + data[i] + "; values must be finite");
      }
    }
    return array;
  }

  /**
   * Writes {@code data} (C order) atomically.
   *
   * @param precision dtype to store: {@code <f8} or {@code <f4}
   * @throws IOException when the file cannot be written
   */
  public static void write(Path file, double[] data, int[] shape, Precision precision) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int s : shape) {
      dims.append(s).append(", ");
    }
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
    String dict = "{'descr': '" + (precision == Precision.FLOAT64 ? "<f8" : "<f4")
        + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    int width = precision == Precision.FLOAT64 ? 8 : 4;
    ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + data.length * width)
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
    for (double v : data) {
      if (width == 8) {
        buf.putDouble(v);
      } else {
        buf.putFloat((float) v);
      }
    }
    AtomicFiles.write(file, buf.array());
  }

  private static int[] parseShape(Path file, String text) {
    String[] parts = text.split(",");
    int rank = 0;
    int[] shape = new int[parts.length];
    for (String p : parts) {
      if (!p.isBlank()) {
        try {
          shape[rank++] = Integer.parseInt(p.trim().replace("L", ""));
        } catch (NumberFormatException e) {
          throw new SpecException(file.toString(), "bad shape (" + text + ")");
        }
      }
    }
    return java.util.Arrays.copyOf(shape, rank);
  }

  private static double[] transpose(double[] colMajor, int cols, int rows) {
    double[] out = new double[colMajor.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = colMajor[j * rows + i];
      }
    }
    return out;
  }
}
