// Launches each kernel of varflow's CUDA source on inputs built from sin and cos and prints the outputs, one line per
// case: "<case> <precision> <values...>"; the Java test computes the same cases with the jvm backend.
template <typename F> void launch(unsigned blocks, F kernel) {
  gridDim = {blocks, 1, 1};
  blockDim = {256, 1, 1};
  for (unsigned b = 0; b < blocks; b++) {
    std::barrier<> barrier(256);
    block_barrier = &barrier;
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < 256; t++) {
      threads.emplace_back([&kernel, b, t] {
        blockIdx = {b, 0, 0};
        threadIdx = {t, 0, 0};
        kernel();
      });
    }
    for (auto& th : threads) th.join();
  }
}

static const int N = 1001, ROWS = 13, COLS = 77, K = 31, BLOCKS = 2, REDUCTION_BLOCKS = 3;

template <typename T> void print(const char* name, const char* precision, const std::vector<T>& v) {
  std::printf("%s %s", name, precision);
  for (T x : v) std::isnan(x) ? std::printf(" NaN") : std::printf(" %.17g", (double) x);
  std::printf("\n");
}

template <typename T> std::vector<T> input(double f, double g, double scale, int n) {
  std::vector<T> v(n);
  for (int i = 0; i < n; i++) v[i] = (T) (scale * std::sin(f * i + g));
  return v;
}

#define KERNELS(T, S)                                                                                         \
  void run_##S() {                                                                                           \
    const char* p = #S;                                                                                      \
    std::vector<T> a = input<T>(0.37, 0.1, 3, N), b = input<T>(0.11, 1.2, 2, N), out(N);                     \
    const char* names[] = {"add", "sub", "mul", "div"};                                                      \
    for (int op = 0; op < 4; op++) {                                                                         \
      launch(BLOCKS, [&] { binary_##S(op, N, a.data(), b.data(), out.data()); });                            \
      print(names[op], p, out);                                                                              \
    }                                                                                                        \
    std::vector<T> in_place = a;                                                                             \
    launch(BLOCKS, [&] { binary_##S(0, N, in_place.data(), b.data(), in_place.data()); });                   \
    print("addi", p, in_place);                                                                              \
    const char* unaries[] = {"sqrt", "abs"};                                                                 \
    for (int f = 0; f < 2; f++) {                                                                            \
      launch(BLOCKS, [&] { unary_##S(f, N, a.data(), out.data()); });                                        \
      print(unaries[f], p, out);                                                                             \
    }                                                                                                        \
    std::vector<T> y = b;                                                                                    \
    launch(BLOCKS, [&] { axpy_##S(N, 0.75, a.data(), y.data()); });                                          \
    print("axpy", p, y);                                                                                     \
    launch(BLOCKS, [&] { scale_##S(N, -1.5, a.data(), out.data()); });                                       \
    print("scale", p, out);                                                                                  \
    const char* activations[] = {"relu", "tanh", "sigmoid", "sin"};                                          \
    for (int kind = 0; kind < 4; kind++) {                                                                   \
      for (int d = 0; d < 2; d++) {                                                                          \
        launch(BLOCKS, [&] { activate_##S(kind, d, N, a.data(), out.data()); });                             \
        char name[32];                                                                                       \
        std::snprintf(name, sizeof name, "%s%s", activations[kind], d ? "'" : "");                           \
        print(name, p, out);                                                                                 \
      }                                                                                                      \
    }                                                                                                        \
    std::vector<T> row = input<T>(0.05, 0.3, 1, COLS), column = input<T>(0.7, 0.2, 1, ROWS);                 \
    launch(BLOCKS, [&] { broadcast_##S(2, 0, ROWS, COLS, a.data(), row.data(), out.data()); });              \
    print("mulRowVector", p, out);                                                                           \
    launch(BLOCKS, [&] { broadcast_##S(0, 0, ROWS, COLS, a.data(), row.data(), out.data()); });              \
    print("addRowVector", p, out);                                                                           \
    launch(BLOCKS, [&] { broadcast_##S(2, 1, ROWS, COLS, a.data(), column.data(), out.data()); });           \
    print("mulColumnVector", p, out);                                                                        \
    std::vector<T> square(a.begin(), a.begin() + K * K);                                                     \
    launch(BLOCKS, [&] { add_diagonal_##S(K, 0.5, square.data()); });                                        \
    print("addDiagonal", p, square);                                                                         \
    launch(BLOCKS, [&] { fill_##S(N, 2.25, out.data()); });                                                  \
    print("fill", p, out);                                                                                   \
    std::vector<double> partials(REDUCTION_BLOCKS);                                                          \
    launch(REDUCTION_BLOCKS, [&] { partial_sum_##S(N, a.data(), (const T*) 0, partials.data()); });          \
    print("sumPartials", p, partials);                                                                       \
    launch(REDUCTION_BLOCKS, [&] { partial_sum_##S(N, a.data(), b.data(), partials.data()); });              \
    print("dotPartials", p, partials);                                                                       \
    std::vector<int> flag(1);                                                                                \
    std::vector<double> flags;                                                                               \
    launch(BLOCKS, [&] { nonfinite_##S(N, a.data(), flag.data()); });                                        \
    flags.push_back(flag[0]);                                                                                \
    std::vector<T> bad = a;                                                                                  \
    bad[500] = (T) NAN;                                                                                      \
    launch(BLOCKS, [&] { nonfinite_##S(N, bad.data(), flag.data()); });                                      \
    flags.push_back(flag[0]);                                                                                \
    flag[0] = 0;                                                                                             \
    bad[500] = (T) -INFINITY;                                                                                \
    launch(BLOCKS, [&] { nonfinite_##S(N, bad.data(), flag.data()); });                                      \
    flags.push_back(flag[0]);                                                                                \
    print("nonfinite", p, flags);                                                                            \
  }

KERNELS(float, f32)
KERNELS(double, f64)

int main() {
  run_f32();
  run_f64();
  std::vector<float> a = input<float>(0.37, 0.1, 3, N);
  std::vector<double> wide(N);
  launch(BLOCKS, [&] { cast_f32_f64(N, a.data(), wide.data()); });
  print("cast", "f32", wide);
  std::vector<double> d = input<double>(0.37, 0.1, 3, N);
  std::vector<float> narrow(N);
  launch(BLOCKS, [&] { cast_f64_f32(N, d.data(), narrow.data()); });
  print("cast", "f64", narrow);
  return 0;
}
