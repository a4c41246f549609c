// A hostile (or harmless) program for the jobs suite, run only through the library's JobRunner
// with limits set. Modes:
//   hog            allocates and touches 16 MiB blocks without end
//   loop           spins the CPU forever
//   forkbomb       forks without end (children loop), printing how many forks were refused
//   sleep SECONDS  sleeps, printing a line each second (a long-lived interactive job)
//   exit CODE      prints "exiting" and exits with CODE
//   artifact NAME  writes NAME (in the working directory) and exits 0
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (mode == "hog") {
    std::vector<char*> blocks;
    for (;;) {
      const std::size_t size = 16u << 20;
      char* block = static_cast<char*>(std::malloc(size));
      if (!block) continue;
      std::memset(block, 1, size);
      blocks.push_back(block);
      std::printf("allocated %zu MiB\n", blocks.size() * 16);
    }
  }
  if (mode == "loop") {
    volatile unsigned long counter = 0;
    for (;;) counter = counter + 1;
  }
  if (mode == "forkbomb") {
    long refused = 0;
    for (;;) {
      const pid_t pid = ::fork();
      if (pid < 0 && ++refused % 1000 == 1) std::printf("fork refused (%ld)\n", refused);
    }
  }
  if (mode == "sleep" && argc > 2) {
    for (int second = 0; second < std::atoi(argv[2]); ++second) {
      std::printf("still here after %d s\n", second);
      ::sleep(1);
    }
    return 0;
  }
  if (mode == "exit" && argc > 2) {
    std::printf("exiting\n");
    return std::atoi(argv[2]);
  }
  if (mode == "artifact" && argc > 2) {
    std::ofstream(argv[2]) << "result\n";
    return 0;
  }
  std::fprintf(stderr, "test_job: unknown mode\n");
  return 2;
}
