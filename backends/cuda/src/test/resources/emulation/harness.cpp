// What the Java test's generated main() calls: launch() runs a kernel on a grid of blocks of Kernels.BLOCK threads,
// and call() passes the kernel its arguments as cuLaunchKernel does, each read from its own slot as the type of the
// kernel's parameter; each slot holds the bytes KernelArguments writes for the Java value (4 for an Integer, 8 for
// a Long, a Double or a pointer) and poison after them, so an argument of the wrong type or place reads garbage.
#include <cstdint>
#include <cstring>
#include <utility>

template <typename F> void launch(unsigned blocks, unsigned threads, F kernel) {
  gridDim = {blocks, 1, 1};
  blockDim = {threads, 1, 1};
  for (unsigned b = 0; b < blocks; b++) {
    std::barrier<> barrier(threads);
    block_barrier = &barrier;
    std::vector<std::thread> team;
    for (unsigned t = 0; t < threads; t++) {
      team.emplace_back([&kernel, b, t] {
        blockIdx = {b, 0, 0};
        threadIdx = {t, 0, 0};
        kernel();
      });
    }
    for (auto& th : team) th.join();
  }
}

struct Arguments {
  unsigned char slots[16][16];
  void* params[16];
  int count = 0;
  template <typename V> Arguments& add(V value) {
    std::memset(slots[count], 0xA5, sizeof slots[count]);
    std::memcpy(slots[count], &value, sizeof value);
    params[count] = slots[count];
    count++;
    return *this;
  }
};

// kernel(*(P0*) params[0], *(P1*) params[1], ...), P the kernel's parameter types
template <typename... P> void call(void (*kernel)(P...), const Arguments& args) {
  if ((int) sizeof...(P) != args.count) {
    std::printf("argument count %d for a kernel of %d parameters\n", args.count, (int) sizeof...(P));
    std::exit(3);
  }
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    kernel(*static_cast<P*>(args.params[I])...);
  }(std::index_sequence_for<P...>{});
}

template <typename T> void print(const char* name, const std::vector<T>& v) {
  std::printf("%s", name);
  for (T x : v) std::isnan(x) ? std::printf(" NaN") : std::printf(" %.17g", (double) x);
  std::printf("\n");
}

template <typename T> std::vector<T> input(double f, double g, double scale, int n) {
  std::vector<T> v(n);
  for (int i = 0; i < n; i++) v[i] = (T) (scale * std::sin(f * i + g));
  return v;
}
