#pragma once

// Keeps a server's token keys in step with its JWKS file: an identity
// provider rotates its signing keys by publishing a new JWKS, and a
// long-running service must follow without a restart.
//
// Every `every`, the file's modification time and size are compared with
// the last ones seen; on a change the key set is loaded again and handed to
// the verifier (TokenVerifier::ReplaceKeys). A file that cannot be read or
// parsed leaves the previous keys in place and says why on stderr (the
// message names the JWK member, never key material).

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/verification_keys.h"

namespace pmo::auth {
class TokenVerifier;
}  // namespace pmo::auth

namespace pmo::grpcserver {

class JwksWatcher {
 public:
  // `load` builds the whole key set (the JWKS and any development secret).
  JwksWatcher(std::string jwks_file,
              std::function<absl::StatusOr<auth::KeySet>()> load,
              std::shared_ptr<auth::TokenVerifier> verifier,
              absl::Duration every);
  ~JwksWatcher();  // stops the watching thread
  JwksWatcher(const JwksWatcher&) = delete;
  JwksWatcher& operator=(const JwksWatcher&) = delete;

 private:
  // "device:inode:mtime:ctime:size" of the file, or empty when it cannot
  // be read.
  std::string Fingerprint() const;
  void Run();

  const std::string jwks_file_;
  const std::function<absl::StatusOr<auth::KeySet>()> load_;
  const std::shared_ptr<auth::TokenVerifier> verifier_;
  const absl::Duration every_;
  std::string last_seen_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pmo::grpcserver
