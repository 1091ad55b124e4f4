#include "libs/grpcserver/jwks_watcher.h"

#include <sys/stat.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "libs/auth/token_verifier.h"

namespace pmo::grpcserver {

JwksWatcher::JwksWatcher(std::string jwks_file,
                         std::function<absl::StatusOr<auth::KeySet>()> load,
                         std::shared_ptr<auth::TokenVerifier> verifier,
                         absl::Duration every)
    : jwks_file_(std::move(jwks_file)),
      load_(std::move(load)),
      verifier_(std::move(verifier)),
      every_(every) {
  last_seen_ = Fingerprint();
  thread_ = std::thread([this] { Run(); });
}

JwksWatcher::~JwksWatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::string JwksWatcher::Fingerprint() const {
  struct stat info;
  if (stat(jwks_file_.c_str(), &info) != 0) return "";
  // The inode and device as well as the times: a file renamed over the old
  // one (the usual rotation) is a new inode, seen even when its times and
  // size happen to equal the old file's.
  return absl::StrCat(info.st_dev, ":", info.st_ino, ":", info.st_mtim.tv_sec,
                      ".", info.st_mtim.tv_nsec, ":", info.st_ctim.tv_sec, ".",
                      info.st_ctim.tv_nsec, ":", info.st_size);
}

void JwksWatcher::Run() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, absl::ToChronoNanoseconds(every_),
                         [&] { return stopping_; })) {
    const std::string now = Fingerprint();
    if (now.empty() || now == last_seen_) continue;
    absl::StatusOr<auth::KeySet> keys = load_();
    absl::Status replaced =
        keys.ok() ? verifier_->ReplaceKeys(*std::move(keys)) : keys.status();
    if (replaced.ok()) {
      last_seen_ = now;
      std::fprintf(stderr, "jwks_file %s changed: token keys rotated\n",
                   jwks_file_.c_str());
    } else {
      // Tried again at the next change; a half-written file often is one.
      last_seen_ = now;
      std::fprintf(stderr,
                   "jwks_file %s changed but is unusable, keeping the previous "
                   "keys: %s\n",
                   jwks_file_.c_str(), std::string(replaced.message()).c_str());
    }
  }
}

}  // namespace pmo::grpcserver
