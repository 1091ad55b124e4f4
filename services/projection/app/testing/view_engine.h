#pragma once

// The projection's view suites run on every storage engine: a suite that
// stores anything is a TEST_P on ViewEngineTest, instantiated with
//
//   PMO_INSTANTIATE_VIEW_SUITE(PortfolioViewTest);
//
// and each test binary links the one file that says which engines it runs:
// sqlite_view_engine.cc (projection_view_test) or postgres_view_engine.cc
// (projection_view_postgres_test, which needs the `postgres` fixture).

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection::testing {

// The views of one test on one engine.
class ViewEngine {
 public:
  virtual ~ViewEngine() = default;
  // The view called `name` (a plain lower-case word): the same name opens
  // the same storage again, another name a fresh one.
  virtual absl::StatusOr<std::unique_ptr<PortfolioView>> Open(
      const std::string& name, PortfolioView::Options options) = 0;
  // Where Open(name) keeps it.
  virtual ViewLocation Where(const std::string& name) = 0;
};

struct ViewEngineParam {
  std::string name;
  std::function<std::unique_ptr<ViewEngine>()> make;
};

// Test output names the engine, not the parameter's bytes.
inline void PrintTo(const ViewEngineParam& param, std::ostream* os) {
  *os << param.name;
}
inline std::string ViewEngineName(
    const ::testing::TestParamInfo<ViewEngineParam>& info) {
  return info.param.name;
}

// The engines of this test binary.
std::vector<ViewEngineParam> ViewEngines();

// Views in SQLite files of a temporary folder, or in schemas of the test
// cluster (postgres_view_engine.cc only); both open through
// OpenPortfolioViewAt (adapters/open_view_storage.h), as the services do.
std::unique_ptr<ViewEngine> MakeSqliteEngine();
std::unique_ptr<ViewEngine> MakePostgresEngine();

class ViewEngineTest : public ::testing::TestWithParam<ViewEngineParam> {
 protected:
  void SetUp() override { engine_ = GetParam().make(); }
  absl::StatusOr<std::unique_ptr<PortfolioView>> OpenView(
      const std::string& name, PortfolioView::Options options = {}) {
    return engine_->Open(name, std::move(options));
  }
  std::unique_ptr<ViewEngine> engine_;
};

}  // namespace pmo::projection::testing

#define PMO_INSTANTIATE_VIEW_SUITE(suite)                             \
  INSTANTIATE_TEST_SUITE_P(                                           \
      Engine, suite,                                                  \
      ::testing::ValuesIn(::pmo::projection::testing::ViewEngines()), \
      ::pmo::projection::testing::ViewEngineName)
