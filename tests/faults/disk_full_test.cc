// Fault: the store's volume fills up. The all-in-one pmo keeps its SQLite
// files on a small tmpfs mounted for the test (root only: the test mounts it
// itself and detaches it at the end), a filler file takes the last free
// byte, and then:
//  - commands fail with RESOURCE_EXHAUSTED or UNAVAILABLE (never INTERNAL
//    or UNKNOWN: the caller should retry later, it did nothing wrong);
//  - once the filler is removed the same process accepts commands again,
//    and the refused ones succeed on retry with their own request_id;
//  - after a restart every acknowledged command is in the store exactly
//    once and the view holds them all.

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/testing/temp_dir.h"
#include "tests/support/create_project_load.h"
#include "tests/support/portfolio_probe.h"
#include "tests/support/project_requests.h"
#include "tests/support/service_process.h"
#include "tests/support/stored_projects.h"

namespace pmo {
namespace {

using testing::SentCommand;
using testing::ServiceProcess;

// A tmpfs of `size` at `path`, detached when the object goes away.
class SmallVolume {
 public:
  SmallVolume(const std::string& path, const std::string& size) : path_(path) {
    std::filesystem::create_directories(path);
    const std::string options = "size=" + size;
    mounted_ = mount("tmpfs", path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
                     options.c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallVolume() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

// Writes `path` until the volume refuses another byte; returns the bytes
// written.
int64_t FillVolume(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return -1;
  std::string chunk(4096, 'x');
  int64_t total = 0;
  while (true) {
    const ssize_t n = write(fd, chunk.data(), chunk.size());
    if (n <= 0) break;
    total += n;
  }
  fsync(fd);
  close(fd);
  return total;
}

SentCommand NewCommand(const std::string& code) {
  SentCommand c;
  c.request = testing::NewProjectRequest(code);
  return c;
}

TEST(DiskFull, CommandsAreRefusedAsRetryableAndResumeWhenSpaceReturns) {
  testing::TempDir dir;
  const std::string volume_path = dir.File("volume");
  SmallVolume volume(volume_path, "6m");
  ASSERT_TRUE(volume.mounted())
      << "mounting a tmpfs needs root: " << volume.error();
  const std::string data = volume_path + "/data";
  std::vector<SentCommand> sent;
  {
    ServiceProcess pmo("pmo", {"--listen", "127.0.0.1:0", "--data_dir", data,
                               "--log_requests=false"});
    ASSERT_GT(pmo.port, 0);
    for (int i = 0; i < 20; ++i) {
      SentCommand c = NewCommand("BEFORE-" + std::to_string(i));
      testing::RetryUntilAcked(pmo.port, c, absl::Seconds(10));
      ASSERT_TRUE(c.acked()) << c.error;
      sent.push_back(std::move(c));
    }

    const std::string filler = volume_path + "/filler";
    const int64_t filled = FillVolume(filler);
    ASSERT_GT(filled, 0);
    // The store may still have room in pages it already owns (a recycled
    // WAL); commands go on until the volume's lack of space shows.
    int refused = 0;
    int accepted_while_full = 0;
    std::string first_refusal;
    std::map<int, int> refusals_by_code;
    for (int i = 0; i < 3000 && refused < 10; ++i) {
      SentCommand c = NewCommand("FULL-" + std::to_string(i));
      testing::RetryUntilAcked(pmo.port, c, absl::ZeroDuration());  // one try
      if (c.acked()) {
        ++accepted_while_full;
      } else {
        ++refused;
        if (first_refusal.empty()) first_refusal = c.error;
        ++refusals_by_code[c.code];
        EXPECT_THAT(c.code,
                    ::testing::AnyOf(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                     grpc::StatusCode::UNAVAILABLE))
            << c.error;
      }
      sent.push_back(std::move(c));
    }
    ASSERT_EQ(refused, 10) << "the full volume never showed";

    // Space returns: the same process takes the refused commands again.
    std::filesystem::remove(filler);
    for (SentCommand& c : sent) {
      if (c.acked()) continue;
      testing::RetryUntilAcked(pmo.port, c, absl::Seconds(30));
      ASSERT_TRUE(c.acked()) << c.request.code() << ": " << c.error;
    }
    for (int i = 0; i < 20; ++i) {
      SentCommand c = NewCommand("AFTER-" + std::to_string(i));
      testing::RetryUntilAcked(pmo.port, c, absl::Seconds(10));
      ASSERT_TRUE(c.acked()) << c.error;
      sent.push_back(std::move(c));
    }
    std::printf(
        "disk-full: volume 6 MiB, filler %lld bytes, accepted while full %d, "
        "refused %d (RESOURCE_EXHAUSTED %d, UNAVAILABLE %d), all %zu "
        "acknowledged "
        "after space returned; first refusal: %s\n",
        static_cast<long long>(filled), accepted_while_full, refused,
        refusals_by_code[grpc::StatusCode::RESOURCE_EXHAUSTED],
        refusals_by_code[grpc::StatusCode::UNAVAILABLE], sent.size(),
        first_refusal.c_str());
    EXPECT_EQ(pmo.StopCleanly(), absl::OkStatus());
  }

  // Nothing acknowledged was lost, nothing stored twice.
  auto stored = testing::ReadStoredProjects(data + "/projects-events.db");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->streams_by_code.size(), sent.size());
  for (const SentCommand& c : sent) {
    auto [begin, end] = stored->streams_by_code.equal_range(c.request.code());
    ASSERT_EQ(std::distance(begin, end), 1) << c.request.code();
    EXPECT_EQ(begin->second, c.project_id);
  }
  ServiceProcess restarted("pmo", {"--listen", "127.0.0.1:0", "--data_dir",
                                   data, "--log_requests=false"});
  ASSERT_GT(restarted.port, 0);
  EXPECT_TRUE(testing::WaitForPortfolioCount(
      restarted.port, static_cast<int64_t>(sent.size()), absl::Seconds(60)));
  EXPECT_EQ(testing::PortfolioDigest(restarted.port).project_count(),
            static_cast<int64_t>(sent.size()));
}

}  // namespace
}  // namespace pmo
