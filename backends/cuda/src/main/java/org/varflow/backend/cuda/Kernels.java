package org.varflow.backend.cuda;

import org.varflow.api.tensor.Precision;

/**
 * The CUDA C source of the elementwise, activation, broadcast and reduction kernels, compiled once per process
 * with NVRTC for the device's architecture. Every kernel exists as {@code name_f32} and {@code name_f64}. All
 * kernels run {@value #BLOCK} threads per block; the loops are grid-stride, so any grid size is correct, and
 * the reductions use a grid that depends on n only, which keeps their results bit-reproducible.
 */
final class Kernels {
  /** Threads per block of every kernel (the reductions' shared arrays have this size). */
  static final int BLOCK = 256;
  /** Most blocks of a reduction: the length of the partial-sum buffer summed on the host. */
  static final int REDUCTION_BLOCKS = 1024;

  /** Elementwise binary operation codes of {@code binary}. */
  static final int ADD = 0;
  static final int SUB = 1;
  static final int MUL = 2;
  static final int DIV = 3;

  /** Elementwise unary operation codes of {@code unary}. */
  static final int SQRT = 0;
  static final int ABS = 1;

  private Kernels() {}

  /** @return e.g. {@code binary_f32} */
  static String name(String kernel, Precision precision) {
    return kernel + (precision == Precision.FLOAT32 ? "_f32" : "_f64");
  }

  /** @return the kernel names, each to be looked up in both precisions */
  static String[] names() {
    return new String[] {"binary", "unary", "axpy", "scale", "activate", "broadcast", "add_diagonal", "fill",
        "partial_sum", "nonfinite"};
  }

  /** The source: templates instantiated for float and double with C linkage. */
  static final String SOURCE = """
      #define GRID_STRIDE(i, n) \\
        for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); \\
             i += (long long) blockDim.x * gridDim.x)

      __device__ __forceinline__ float  m_exp(float z)   { return expf(z); }
      __device__ __forceinline__ double m_exp(double z)  { return exp(z); }
      __device__ __forceinline__ float  m_tanh(float z)  { return tanhf(z); }
      __device__ __forceinline__ double m_tanh(double z) { return tanh(z); }
      __device__ __forceinline__ float  m_sin(float z)   { return sinf(z); }
      __device__ __forceinline__ double m_sin(double z)  { return sin(z); }
      __device__ __forceinline__ float  m_cos(float z)   { return cosf(z); }
      __device__ __forceinline__ double m_cos(double z)  { return cos(z); }
      __device__ __forceinline__ float  m_sqrt(float z)  { return sqrtf(z); }
      __device__ __forceinline__ double m_sqrt(double z) { return sqrt(z); }
      __device__ __forceinline__ float  m_abs(float z)   { return fabsf(z); }
      __device__ __forceinline__ double m_abs(double z)  { return fabs(z); }

      // sigma(z) or sigma'(z) for kind 0 relu, 1 tanh, 2 sigmoid, 3 sin (the order of Activation)
      template <typename T> __device__ __forceinline__ T activation(int kind, int derivative, T z) {
        const T one = (T) 1, zero = (T) 0;
        switch (kind) {
          case 0: return derivative ? (z > zero ? one : zero) : (z > zero ? z : zero);
          case 1: { T t = m_tanh(z); return derivative ? one - t * t : t; }
          case 2: { T s = one / (one + m_exp(-z)); return derivative ? s * (one - s) : s; }
          default: return derivative ? m_cos(z) : m_sin(z);
        }
      }

      // out = a op b elementwise; op 0 +, 1 -, 2 *, 3 / (IEEE: x/0 = +-inf, 0/0 = NaN); out may be a (in place)
      template <typename T> __device__ void binary(int op, long long n, const T* a, const T* b, T* out) {
        GRID_STRIDE(i, n) {
          T x = a[i], y = b[i];
          out[i] = op == 0 ? x + y : (op == 1 ? x - y : (op == 2 ? x * y : x / y));
        }
      }

      // out = f(a) elementwise; f 0 sqrt (correctly rounded, NaN below 0), 1 |a|; out may be a
      template <typename T> __device__ void unary(int f, long long n, const T* a, T* out) {
        GRID_STRIDE(i, n) out[i] = f == 0 ? m_sqrt(a[i]) : m_abs(a[i]);
      }

      // y = y + alpha x
      template <typename T> __device__ void axpy(long long n, double alpha, const T* x, T* y) {
        T s = (T) alpha;
        GRID_STRIDE(i, n) y[i] += s * x[i];
      }

      // out = s a; out may be a
      template <typename T> __device__ void scale(long long n, double s, const T* a, T* out) {
        T c = (T) s;
        GRID_STRIDE(i, n) out[i] = c * a[i];
      }

      template <typename T> __device__ void activate(int kind, int derivative, long long n, const T* a, T* out) {
        GRID_STRIDE(i, n) out[i] = activation(kind, derivative, a[i]);
      }

      // out[i][j] = a[i][j] op v[k], k = j (axis 0, a row vector) or i (axis 1, a column vector); op 0 +, 2 *
      template <typename T> __device__ void broadcast(int op, int axis, int rows, int cols, const T* a, const T* v,
                                                      T* out) {
        long long n = (long long) rows * cols;
        GRID_STRIDE(i, n) {
          T w = v[axis == 0 ? i % cols : i / cols];
          out[i] = op == 0 ? a[i] + w : a[i] * w;
        }
      }

      // a[i][i] += s for a square k x k matrix
      template <typename T> __device__ void add_diagonal(int k, double s, T* a) {
        GRID_STRIDE(i, k) a[i * k + i] += (T) s;
      }

      template <typename T> __device__ void fill(long long n, double value, T* out) {
        GRID_STRIDE(i, n) out[i] = (T) value;
      }

      // partials[block] = sum over the block's grid-stride share of a[i] (b == 0) or a[i] b[i], in double
      template <typename T> __device__ void partial_sum(long long n, const T* a, const T* b, double* partials) {
        __shared__ double s[256];
        double acc = 0;
        GRID_STRIDE(i, n) acc += b ? (double) a[i] * (double) b[i] : (double) a[i];
        s[threadIdx.x] = acc;
        __syncthreads();
        for (int w = blockDim.x / 2; w > 0; w >>= 1) {
          if (threadIdx.x < w) s[threadIdx.x] += s[threadIdx.x + w];
          __syncthreads();
        }
        if (threadIdx.x == 0) partials[blockIdx.x] = s[0];
      }

      // *flag = 1 if some a[i] is NaN or infinite (z - z is 0 exactly for finite z)
      template <typename T> __device__ void nonfinite(long long n, const T* a, int* flag) {
        GRID_STRIDE(i, n) if (a[i] - a[i] != (T) 0) *flag = 1;
      }

      #define BOTH(name, params, args) \\
        extern "C" __global__ void name##_f32 params(float) { name<float> args; } \\
        extern "C" __global__ void name##_f64 params(double) { name<double> args; }

      #define P_BINARY(T) (int op, long long n, const T* a, const T* b, T* out)
      BOTH(binary, P_BINARY, (op, n, a, b, out))
      #define P_UNARY(T) (int f, long long n, const T* a, T* out)
      BOTH(unary, P_UNARY, (f, n, a, out))
      #define P_AXPY(T) (long long n, double alpha, const T* x, T* y)
      BOTH(axpy, P_AXPY, (n, alpha, x, y))
      #define P_SCALE(T) (long long n, double s, const T* a, T* out)
      BOTH(scale, P_SCALE, (n, s, a, out))
      #define P_ACTIVATE(T) (int kind, int derivative, long long n, const T* a, T* out)
      BOTH(activate, P_ACTIVATE, (kind, derivative, n, a, out))
      #define P_BROADCAST(T) (int op, int axis, int rows, int cols, const T* a, const T* v, T* out)
      BOTH(broadcast, P_BROADCAST, (op, axis, rows, cols, a, v, out))
      #define P_ADD_DIAGONAL(T) (int k, double s, T* a)
      BOTH(add_diagonal, P_ADD_DIAGONAL, (k, s, a))
      #define P_FILL(T) (long long n, double value, T* out)
      BOTH(fill, P_FILL, (n, value, out))
      #define P_PARTIAL_SUM(T) (long long n, const T* a, const T* b, double* partials)
      BOTH(partial_sum, P_PARTIAL_SUM, (n, a, b, partials))
      #define P_NONFINITE(T) (long long n, const T* a, int* flag)
      BOTH(nonfinite, P_NONFINITE, (n, a, flag))

      extern "C" __global__ void cast_f32_f64(long long n, const float* a, double* out) {
        GRID_STRIDE(i, n) out[i] = (double) a[i];
      }
      extern "C" __global__ void cast_f64_f32(long long n, const double* a, float* out) {
        GRID_STRIDE(i, n) out[i] = (float) a[i];
      }
      """;

  /** @return blocks for an n-element grid-stride loop: one element per thread up to 65535 blocks */
  static int blocks(long n) {
    return (int) Math.max(1, Math.min(65535, (n + BLOCK - 1) / BLOCK));
  }

  /** @return blocks of a reduction over n elements; a function of n only, so the partial sums are reproducible */
  static int reductionBlocks(long n) {
    return (int) Math.max(1, Math.min(REDUCTION_BLOCKS, (n + BLOCK - 1) / BLOCK));
  }
}
