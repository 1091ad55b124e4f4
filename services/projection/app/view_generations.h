#pragma once

// The port for the view's generations. A rebuild from the topics builds a
// new generation (a complete view) beside the live one that answers and,
// once it is switched in, makes it live durably: a crash leaves the old
// generation live or the new one, never neither. A replaced generation's
// storage goes as soon as the last query still reading it ends; what a
// crash left behind (a rebuild never switched in, a replaced view that was
// still open) goes at the next start. FileViewGenerations
// (adapters/file_view_generations.h) keeps them as SQLite files of the
// data folder.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection {

class ViewGenerations {
 public:
  virtual ~ViewGenerations() = default;

  // The live generation's name.
  virtual absl::StatusOr<std::string> LiveName() const = 0;
  // Makes `name` the live generation, durably.
  virtual absl::Status MakeLive(const std::string& name) const = 0;
  // A name no generation has had: one past the highest.
  virtual absl::StatusOr<std::string> NextName() const = 0;

  // Opens (creating) generation `name`: the one place a served view is
  // opened, live at start or fresh for a rebuild. When the last holder
  // lets the view go and it is not the live generation then, its storage
  // is deleted. INVALID_ARGUMENT for a name that is no generation's.
  virtual absl::StatusOr<std::shared_ptr<PortfolioView>> Open(
      const std::string& name) const = 0;
  // Deletes every generation except the live one.
  virtual absl::Status RemoveAllButLive() const = 0;
};

}  // namespace pmo::projection
