#pragma once

// View generations as files of the data folder (the ViewGenerations port of
// app/view_generations.h). Which file holds the view that answers is
// named by a small pointer file, replaced by writing a temporary file,
// fsyncing it and renaming it over the old one (then fsyncing the folder):
// a crash leaves the old pointer or the new one, never half of one.
//
//   portfolio-view.db          the first generation (while there is no pointer)
//   portfolio-view-<n>.db      the n-th rebuild's
//   portfolio-view.current     the live generation's file name
//
// A generation's files are its main file and SQLite's companions beside it
// (-wal, -shm, -journal); deleting a generation deletes them all.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/projection/app/portfolio_view.h"
#include "services/projection/app/view_generations.h"

namespace pmo::projection {

class FileViewGenerations : public ViewGenerations {
 public:
  // Opens (creating) the view file at a path: OpenPortfolioView of
  // open_view_storage.h.
  using OpenFile = std::function<absl::StatusOr<std::unique_ptr<PortfolioView>>(
      const std::string& path)>;

  // `data_dir` must exist.
  FileViewGenerations(std::string data_dir, OpenFile open_file)
      : data_dir_(std::move(data_dir)), open_file_(std::move(open_file)) {}

  // The pointer's content, else portfolio-view.db.
  absl::StatusOr<std::string> LiveName() const override;
  absl::Status MakeLive(const std::string& name) const override;
  absl::StatusOr<std::string> NextName() const override;
  absl::StatusOr<std::shared_ptr<PortfolioView>> Open(
      const std::string& name) const override;
  absl::Status RemoveAllButLive() const override;

 private:
  std::string Path(const std::string& name) const {
    return data_dir_ + "/" + name;
  }

  const std::string data_dir_;
  OpenFile open_file_;
};

}  // namespace pmo::projection
