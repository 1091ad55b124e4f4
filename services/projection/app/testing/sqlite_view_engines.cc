// projection_view_test runs the view suites on SQLite.

#include "services/projection/app/testing/view_engine.h"

namespace pmo::projection::testing {

std::vector<ViewEngineParam> ViewEngines() {
  return {{"Sqlite", MakeSqliteEngine}};
}

}  // namespace pmo::projection::testing
