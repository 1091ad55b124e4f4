#pragma once

// Small helpers shared by the pmo_bench benchmarks.

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace pmo::bench {

// A fresh directory /tmp/pmo-bench-XXXXXX, removed with its content when the
// object goes away. Every benchmark run gets its own, so no run sees another
// run's files.
class BenchDir {
 public:
  BenchDir() {
    std::string pattern = "/tmp/pmo-bench-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~BenchDir() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace pmo::bench
