package org.varflow.backend.cuda;

import static org.bytedeco.cuda.global.cublas.CUBLAS_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cublas.cublasCreate_v2;
import static org.bytedeco.cuda.global.cublas.cublasGetStatusString;
import static org.bytedeco.cuda.global.cublas.cublasGetVersion_v2;
import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.cuCtxSetCurrent;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetName;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRetain;
import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMajor;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMinor;
import static org.bytedeco.cuda.global.cudart.cudaDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cudaDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaErrorInsufficientDriver;
import static org.bytedeco.cuda.global.cudart.cudaErrorMemoryAllocation;
import static org.bytedeco.cuda.global.cudart.cudaErrorNoDevice;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemGetInfo;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToDevice;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;
import static org.bytedeco.cuda.global.cudart.cudaMemset;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSetDevice;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;
import static org.bytedeco.cuda.global.cusolver.CUSOLVER_STATUS_SUCCESS;
import static org.bytedeco.cuda.global.cusolver.cusolverDnCreate;
import static org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBIN;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetCUBINSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcVersion;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cusolver.cusolverDnContext;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.varflow.api.tensor.Precision;
import org.varflow.backend.support.StoragePool;

/**
 * GPU 0 of this process: its primary context, one cuBLAS and one cuSOLVER handle, the {@link Kernels} compiled
 * with NVRTC, and a pool of device buffers by size. Everything runs on the legacy default stream, so operations
 * execute in the order they are issued and a buffer handed back to the pool may be reused at once; reading
 * results to the host ({@code cudaMemcpy}) waits for them. Each call binds the context to the calling thread
 * first; a tensor is used from one thread at a time (as a run does), while buffers may come back to the pool
 * from any thread (a garbage-collected tensor's).
 */
final class Device {
  /** CUDA 13 supports compute capability 7.5 (Turing) and newer. */
  static final int MIN_COMPUTE_CAPABILITY = 75;
  /** Free buffers kept per size: a step's temporaries come back every step. */
  private static final int POOLED_PER_SIZE = 8;

  final CUctx_st context = new CUctx_st();
  final cublasContext blas = new cublasContext();
  final cusolverDnContext solver = new cusolverDnContext();
  private final Map<String, CUfunc_st> functions = new HashMap<>();
  private final StoragePool<Pointer> pool = new StoragePool<>(POOLED_PER_SIZE, this::free);
  private final ThreadLocal<Boolean> bound = ThreadLocal.withInitial(() -> false);
  private final String description;
  /** Scratch: the reductions' per-block partial sums and the non-finite flag. */
  private final Pointer partials;
  private final Pointer flag;

  /**
   * Initialises the driver and device 0, creates the handles and compiles the kernels.
   *
   * @throws Unavailable with the reason the GPU cannot be used (no device, driver too old, compute capability
   *     below {@value #MIN_COMPUTE_CAPABILITY}, kernel compilation failed)
   */
  Device() throws Unavailable {
    int[] count = {0};
    int status = cudaGetDeviceCount(count);
    int[] driver = {0};
    cudaDriverGetVersion(driver);
    if (status == cudaErrorInsufficientDriver) {
      throw new Unavailable("the NVIDIA driver supports CUDA up to " + version(driver[0]) + "; CUDA 13 needs driver"
          + " 580 or newer");
    }
    if (status == cudaErrorNoDevice || (status == cudaSuccess && count[0] == 0)) {
      throw new Unavailable("no CUDA device (the driver, CUDA " + version(driver[0]) + ", sees none)", true);
    }
    checkRuntime(status, "cudaGetDeviceCount");
    int[] major = {0};
    int[] minor = {0};
    checkRuntime(cudaDeviceGetAttribute(major, cudaDevAttrComputeCapabilityMajor, 0), "cudaDeviceGetAttribute");
    checkRuntime(cudaDeviceGetAttribute(minor, cudaDevAttrComputeCapabilityMinor, 0), "cudaDeviceGetAttribute");
    int capability = 10 * major[0] + minor[0];
    byte[] name = new byte[256];
    checkDriver(cuInit(0), "cuInit");
    int[] handle = {0};
    checkDriver(cuDeviceGet(handle, 0), "cuDeviceGet");
    checkDriver(cuDeviceGetName(name, name.length, handle[0]), "cuDeviceGetName");
    String deviceName = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "");
    if (capability < MIN_COMPUTE_CAPABILITY) {
      throw new Unavailable(deviceName + " has compute capability " + major[0] + "." + minor[0] + "; CUDA 13 needs"
          + " 7.5 or newer");
    }
    checkRuntime(cudaSetDevice(0), "cudaSetDevice");
    checkDriver(cuDevicePrimaryCtxRetain(context, handle[0]), "cuDevicePrimaryCtxRetain");
    bind();
    checkBlas(cublasCreate_v2(blas), "cublasCreate");
    checkSolver(cusolverDnCreate(solver), "cusolverDnCreate");
    loadKernels(major[0] + "" + minor[0]);
    partials = allocate(8L * Kernels.REDUCTION_BLOCKS);
    flag = allocate(4);
    int[] runtime = {0};
    int[] blasVersion = {0};
    cudaRuntimeGetVersion(runtime);
    cublasGetVersion_v2(blas, blasVersion);
    description = String.format("CUDA %s (driver %s), %s, compute capability %d.%d, %.1f GiB, cuBLAS %d",
        version(runtime[0]), version(driver[0]), deviceName, major[0], minor[0], totalBytes() / 1073741824.0,
        blasVersion[0]);
  }

  /** Why the GPU cannot be used, in one line. */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean deviceAbsent;

    Unavailable(String reason) {
      this(reason, false);
    }

    /** @param deviceAbsent whether the reason is that there is no GPU at all */
    Unavailable(String reason, boolean deviceAbsent) {
      super(reason);
      this.deviceAbsent = deviceAbsent;
    }

    /** @return whether the reason is that there is no GPU at all */
    boolean deviceAbsent() {
      return deviceAbsent;
    }
  }

  /** @return e.g. {@code 13.0} from 13000 */
  private static String version(int encoded) {
    return encoded / 1000 + "." + (encoded % 1000) / 10;
  }

  /** @return runtime, driver, device, compute capability, memory and cuBLAS version */
  String describe() {
    return description;
  }

  /** Makes this device's context current on the calling thread (once per thread). */
  void bind() {
    if (!bound.get()) {
      checkDriver(cuCtxSetCurrent(context), "cuCtxSetCurrent");
      bound.set(true);
    }
  }

  /** Compiles {@link Kernels#SOURCE} for sm_{@code arch} to a CUBIN and looks up every kernel. */
  private void loadKernels(String arch) throws Unavailable {
    _nvrtcProgram program = new _nvrtcProgram();
    checkNvrtc(nvrtcCreateProgram(program, new BytePointer(Kernels.SOURCE), new BytePointer("varflow_kernels.cu"), 0,
        (PointerPointer) null, (PointerPointer) null), "nvrtcCreateProgram");
    try {
      String[] options = {"--gpu-architecture=sm_" + arch, "--std=c++17"};
      int compiled = nvrtcCompileProgram(program, options.length, new PointerPointer<>(options));
      if (compiled != NVRTC_SUCCESS) {
        SizeTPointer logSize = new SizeTPointer(1);
        nvrtcGetProgramLogSize(program, logSize);
        BytePointer log = new BytePointer(logSize.get());
        nvrtcGetProgramLog(program, log);
        int[] nvrtcMajor = {0};
        int[] nvrtcMinor = {0};
        nvrtcVersion(nvrtcMajor, nvrtcMinor);
        throw new Unavailable("NVRTC " + nvrtcMajor[0] + "." + nvrtcMinor[0] + " could not compile the kernels for sm_"
            + arch + ": " + nvrtcGetErrorString(compiled).getString() + " " + log.getString().strip());
      }
      SizeTPointer size = new SizeTPointer(1);
      checkNvrtc(nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
      BytePointer cubin = new BytePointer(size.get());
      checkNvrtc(nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
      CUmod_st module = new CUmod_st();
      checkDriver(cuModuleLoadData(module, cubin), "cuModuleLoadData");
      for (String kernel : Kernels.names()) {
        for (Precision p : Precision.values()) {
          lookUp(module, Kernels.name(kernel, p));
        }
      }
      lookUp(module, "cast_f32_f64");
      lookUp(module, "cast_f64_f32");
    } finally {
      nvrtcDestroyProgram(program);
    }
  }

  private void lookUp(CUmod_st module, String kernel) {
    CUfunc_st function = new CUfunc_st();
    checkDriver(cuModuleGetFunction(function, module, kernel), "cuModuleGetFunction " + kernel);
    functions.put(kernel, function);
  }

  /**
   * Launches a kernel on a 1-D grid of {@link Kernels#BLOCK}-thread blocks on the default stream.
   *
   * @param args the kernel's arguments (see {@link KernelArguments})
   */
  void launch(String kernel, int blocks, Object... args) {
    CUfunc_st function = functions.get(kernel);
    if (function == null) {
      throw new IllegalArgumentException("no kernel " + kernel + " among " + functions.keySet());
    }
    try (KernelArguments arguments = new KernelArguments(args)) {
      bind();
      checkDriver(cuLaunchKernel(function, blocks, 1, 1, Kernels.BLOCK, 1, 1, 0, null,
          arguments.pointers(), null), kernel);
    }
  }


  /** @return a device buffer of at least {@code bytes} bytes from the pool, or a new one */
  Pointer take(long bytes) {
    long size = Math.max(bytes, 8);
    return pool.take(size, () -> allocate(size));
  }

  /** Gives a buffer obtained from {@link #take} back to the pool. */
  void give(long bytes, Pointer buffer) {
    pool.give(Math.max(bytes, 8), buffer);
  }

  /** cudaMalloc; on running out, empties the pool once and retries, then throws {@link OutOfMemoryError}. */
  private Pointer allocate(long bytes) {
    bind();
    Pointer p = new Pointer();
    int status = cudaMalloc(p, bytes);
    if (status == cudaErrorMemoryAllocation) {
      pool.clear();
      status = cudaMalloc(p, bytes);
      if (status == cudaErrorMemoryAllocation) {
        throw new OutOfMemoryError(String.format("GPU memory exhausted: %d MiB requested, %d MiB free of %d MiB",
            bytes >> 20, memInfo()[0] >> 20, totalBytes() >> 20));
      }
    }
    checkRuntime(status, "cudaMalloc");
    return p;
  }

  private void free(Pointer buffer) {
    bind();
    checkRuntime(cudaFree(buffer), "cudaFree");
  }

  /** @return bytes free on the device, after freeing the pooled buffers (so that they count as free) */
  long freeBytes() {
    pool.clear();
    return memInfo()[0];
  }

  private long totalBytes() {
    return memInfo()[1];
  }

  private long[] memInfo() {
    bind();
    try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
      checkRuntime(cudaMemGetInfo(free, total), "cudaMemGetInfo");
      return new long[] {free.get(), total.get()};
    }
  }

  /** Copies {@code bytes} from host memory to the device. */
  void upload(Pointer device, Pointer host, long bytes) {
    bind();
    checkRuntime(cudaMemcpy(device, host, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to device");
  }

  /** Copies {@code bytes} from the device to host memory, after the work queued before it. */
  void download(Pointer host, Pointer device, long bytes) {
    bind();
    checkRuntime(cudaMemcpy(host, device, bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to host");
  }

  /** Copies {@code bytes} from {@code source} + {@code sourceOffset} to {@code target} + {@code targetOffset} on the device, in order with the work queued before it. */
  void copy(Pointer target, long targetOffset, Pointer source, long sourceOffset, long bytes) {
    bind();
    // byte pointers at the same addresses (they own nothing), moved by the offsets
    checkRuntime(cudaMemcpy(new BytePointer(target).position(targetOffset), new BytePointer(source).position(sourceOffset),
        bytes, cudaMemcpyDeviceToDevice), "cudaMemcpy on the device");
  }

  /** Sets {@code bytes} bytes of device memory to zero. */
  void zero(Pointer device, long bytes) {
    bind();
    checkRuntime(cudaMemset(device, 0, bytes), "cudaMemset");
  }

  /** @return Σ a[i] (b null) or Σ a[i]·b[i] over n elements, accumulated in double: per block on the GPU, then here */
  double sum(Precision precision, long n, Pointer a, Pointer b) {
    int blocks = Kernels.reductionBlocks(n);
    launch(Kernels.name("partial_sum", precision), blocks, partialSumArguments(n, a, b, partials));
    try (DoublePointer host = new DoublePointer(blocks)) {
      download(host, partials, 8L * blocks);
      double[] sums = new double[blocks];
      host.get(sums);
      return total(sums);
    }
  }

  /** The arguments of partial_sum (b null: Σ a[i]); the buffers are device pointers here. */
  static Object[] partialSumArguments(long n, Object a, Object b, Object partials) {
    return new Object[] {n, a, b, partials};
  }

  /** @return the per-block partial sums added on the host in block order */
  static double total(double[] partials) {
    double total = 0;
    for (double p : partials) {
      total += p;
    }
    return total;
  }

  /** @return whether none of the n elements of a is NaN or infinite */
  boolean allFinite(Precision precision, long n, Pointer a) {
    zero(flag, 4);
    launch(Kernels.name("nonfinite", precision), Kernels.blocks(n), nonfiniteArguments(n, a, flag));
    try (IntPointer host = new IntPointer(1)) {
      download(host, flag, 4);
      return host.get() == 0;
    }
  }

  /** The arguments of nonfinite; the buffers are device pointers here. */
  static Object[] nonfiniteArguments(long n, Object a, Object flag) {
    return new Object[] {n, a, flag};
  }

  /** @throws IllegalStateException naming the call unless the runtime API returned success */
  static void checkRuntime(int status, String call) {
    if (status != cudaSuccess) {
      throw new IllegalStateException(call + " failed: " + cudaGetErrorString(status).getString());
    }
  }

  /** @throws IllegalStateException naming the call unless the driver API returned success */
  static void checkDriver(int status, String call) {
    if (status != CUDA_SUCCESS) {
      try (PointerPointer<BytePointer> message = new PointerPointer<>(1)) {
        cuGetErrorString(status, message);
        BytePointer text = message.get(BytePointer.class, 0);
        throw new IllegalStateException(call + " failed: " + (text == null ? "CUDA error " + status : text.getString()));
      }
    }
  }

  /** @throws IllegalStateException naming the call unless cuBLAS returned success */
  static void checkBlas(int status, String call) {
    if (status != CUBLAS_STATUS_SUCCESS) {
      throw new IllegalStateException(call + " failed: " + cublasGetStatusString(status).getString());
    }
  }

  /** @throws IllegalStateException naming the call unless cuSOLVER returned success */
  static void checkSolver(int status, String call) {
    if (status != CUSOLVER_STATUS_SUCCESS) {
      throw new IllegalStateException(call + " failed: cuSOLVER status " + status);
    }
  }

  private static void checkNvrtc(int status, String call) {
    if (status != NVRTC_SUCCESS) {
      throw new IllegalStateException(call + " failed: " + nvrtcGetErrorString(status).getString());
    }
  }
}
