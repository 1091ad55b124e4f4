#pragma once

// Which file of the data folder holds the view that answers. A rebuild from
// the topics builds a new generation beside the live one and, once it is
// switched in, makes it live by replacing a small pointer file (written to
// a temporary file, fsynced, renamed: a crash leaves the old pointer or the
// new one, never half of one):
//
//   portfolio-view.db          the first generation (while there is no pointer)
//   portfolio-view-<n>.db      the n-th rebuild's
//   portfolio-view.current     the live generation's file name
//
// A replaced generation's files are deleted as soon as the last query still
// reading it ends; what a crash left behind (a rebuild never switched in, a
// replaced view that was still open) is deleted at the next start.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/projection/app/portfolio_view.h"

namespace pmo::projection {

class ViewGenerations {
 public:
  // Opens (creating) the view file at a path: OpenPortfolioView of
  // adapters/open_view_storage.h.
  using OpenFile = std::function<absl::StatusOr<std::unique_ptr<PortfolioView>>(
      const std::string& path)>;

  // `data_dir` must exist.
  ViewGenerations(std::string data_dir, OpenFile open_file)
      : data_dir_(std::move(data_dir)), open_file_(std::move(open_file)) {}

  // The live generation's file name: the pointer's content, else
  // portfolio-view.db.
  absl::StatusOr<std::string> LiveName() const;
  // Makes `name` the live generation, durably.
  absl::Status MakeLive(const std::string& name) const;
  // A name no file of the folder has: one past the highest generation.
  absl::StatusOr<std::string> NextName() const;

  // Opens (creating) generation `name`. The one place a served view is
  // opened, live at start or fresh for a rebuild, so another storage (a
  // PostgreSQL schema per generation) plugs in here. When the last holder
  // lets the view go and it is not the live generation then, its files are
  // deleted.
  absl::StatusOr<std::shared_ptr<PortfolioView>> Open(
      const std::string& name) const;
  // Deletes every generation's files except the live one's.
  absl::Status RemoveAllButLive() const;

  std::string Path(const std::string& name) const {
    return data_dir_ + "/" + name;
  }

 private:
  const std::string data_dir_;
  OpenFile open_file_;
};

}  // namespace pmo::projection
