#pragma once

// The local PostgreSQL cluster of the test run. The CTest fixture `postgres`
// (postgres_cluster_start / _stop, scripts/postgres/cluster.sh) starts it
// under the build tree; a test that needs it declares
//   set_tests_properties(NAME PROPERTIES FIXTURES_REQUIRED postgres)
// and takes a schema of its own, so tests never see each other's rows.

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/base/check.h"

namespace pmo::postgres::testing {

// postgresql://pmo@127.0.0.1:PORT/pmo of the running test cluster.
inline std::string TestClusterUrl() {
  const std::string file = std::string(PMO_BINARY_DIR) + "/postgres-test/url";
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  const std::string hint = absl::StrCat("no test PostgreSQL cluster (", file,
                                        "): run the test through ctest, or "
                                        "scripts/postgres/cluster.sh start ",
                                        PMO_BINARY_DIR, "/postgres-test");
  PMO_CHECK(!url.empty(), hint.c_str());
  return url;
}

// A schema name no other test (or earlier run) uses.
inline std::string FreshSchema(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return absl::StrCat(prefix, "_", getpid(), "_",
                      absl::ToUnixMicros(absl::Now()) % 1000000000, "_",
                      counter.fetch_add(1));
}

}  // namespace pmo::postgres::testing
