// pmo_bench: durable appends and RPCs, each beside a baseline measured in the
// same run. See docs/benchmarks.md for how to run it and what the ratios mean.

#include <sqlite3.h>

#include "libs/benchmarking/interleaved_main.h"

int main(int argc, char** argv) {
  return pmo::benchmarking::RunInterleaved(
      argc, argv,
      {{"sqlite_version", sqlite3_libversion()},
       {"temp_dir", "/tmp (one fresh dir per run)"}});
}
