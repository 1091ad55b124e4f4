#include "services/projection/adapters/file_view_generations.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/base/status_macros.h"

namespace pmo::projection {
namespace {

constexpr char kFirst[] = "portfolio-view.db";
constexpr char kPointer[] = "portfolio-view.current";
constexpr char kPrefix[] = "portfolio-view-";
constexpr char kSuffix[] = ".db";

// The generation number of `name` (0 for the first), or -1 when `name` is
// not a generation's main file.
int64_t GenerationOf(absl::string_view name) {
  if (name == kFirst) return 0;
  if (!absl::ConsumePrefix(&name, kPrefix) ||
      !absl::ConsumeSuffix(&name, kSuffix))
    return -1;
  int64_t n = 0;
  return absl::SimpleAtoi(name, &n) && n > 0 ? n : -1;
}

absl::Status ErrnoError(const std::string& what, const std::string& path) {
  return absl::UnavailableError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

absl::Status SyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return ErrnoError("cannot open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : ErrnoError("cannot fsync", path);
}

// The main file and SQLite's companions.
void RemoveViewFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    std::filesystem::remove(path + suffix, ignored);
  }
}

}  // namespace

absl::StatusOr<std::string> FileViewGenerations::LiveName() const {
  const std::string pointer = Path(kPointer);
  std::ifstream in(pointer);
  if (!in) {
    if (!std::filesystem::exists(pointer)) return std::string(kFirst);
    return ErrnoError("cannot read", pointer);
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string name(absl::StripAsciiWhitespace(text.str()));
  if (GenerationOf(name) < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(pointer, " names no view generation: \"", name, "\""));
  }
  return name;
}

absl::Status FileViewGenerations::MakeLive(const std::string& name) const {
  const std::string pointer = Path(kPointer);
  const std::string temporary = pointer + ".tmp";
  {
    const int fd =
        ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return ErrnoError("cannot create", temporary);
    const std::string line = name + "\n";
    const bool written = ::write(fd, line.data(), line.size()) ==
                             static_cast<ssize_t>(line.size()) &&
                         ::fsync(fd) == 0;
    ::close(fd);
    if (!written) return ErrnoError("cannot write", temporary);
  }
  if (std::rename(temporary.c_str(), pointer.c_str()) != 0)
    return ErrnoError("cannot rename", temporary);
  // The rename itself is durable once the folder is.
  return SyncPath(data_dir_, O_RDONLY | O_DIRECTORY);
}

absl::StatusOr<std::string> FileViewGenerations::NextName() const {
  int64_t highest = 0;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(data_dir_, error)) {
    highest = std::max(highest, GenerationOf(entry.path().filename().string()));
  }
  if (error)
    return absl::UnavailableError(
        absl::StrCat("cannot list ", data_dir_, ": ", error.message()));
  // The pointer may name a generation whose file was lost; never reuse it.
  ASSIGN_OR_RETURN(std::string live, LiveName());
  highest = std::max(highest, GenerationOf(live));
  return absl::StrCat(kPrefix, highest + 1, kSuffix);
}

absl::StatusOr<std::shared_ptr<PortfolioView>> FileViewGenerations::Open(
    const std::string& name) const {
  if (GenerationOf(name) < 0)
    return absl::InvalidArgumentError(
        absl::StrCat("not a view generation: ", name));
  const std::string path = Path(name);
  ASSIGN_OR_RETURN(std::unique_ptr<PortfolioView> view, open_file_(path));
  // The deleter asks the pointer, not this object: a view may outlive the
  // ViewGenerations that opened it (a query in flight at shutdown).
  return std::shared_ptr<PortfolioView>(
      view.release(), [generations = *this, name, path](PortfolioView* v) {
        delete v;
        absl::StatusOr<std::string> live = generations.LiveName();
        if (live.ok() && *live != name)
          RemoveViewFiles(path);  // unreadable pointer: keep it
      });
}

absl::Status FileViewGenerations::RemoveAllButLive() const {
  ASSIGN_OR_RETURN(std::string live, LiveName());
  std::error_code error;
  std::vector<std::string> others;
  for (const auto& entry :
       std::filesystem::directory_iterator(data_dir_, error)) {
    const std::string name = entry.path().filename().string();
    if (GenerationOf(name) >= 0 && name != live) others.push_back(name);
  }
  if (error)
    return absl::UnavailableError(
        absl::StrCat("cannot list ", data_dir_, ": ", error.message()));
  for (const std::string& name : others) {
    std::fprintf(
        stderr,
        "projection: removing view generation %s (the live one is %s)\n",
        name.c_str(), live.c_str());
    RemoveViewFiles(Path(name));
  }
  return absl::OkStatus();
}

}  // namespace pmo::projection
