// Runs CUDA kernels on the CPU for tests: each block's 256 threads are std::threads that meet at a std::barrier for
// __syncthreads(), blocks run one after another, __shared__ arrays are function statics (shared by the block's
// threads, reused by the next block). Enough for kernels that use no warp-level intrinsics, as varflow's do.
#include <barrier>
#include <cmath>
#include <math.h>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <string>
#include <vector>

struct Dim3 {
  unsigned x, y, z;
};
static thread_local Dim3 threadIdx, blockIdx;
static Dim3 blockDim, gridDim;
static std::barrier<>* block_barrier;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __syncthreads() block_barrier->arrive_and_wait()
