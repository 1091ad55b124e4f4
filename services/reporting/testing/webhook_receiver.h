#pragma once

// An HTTP/1.1 server on 127.0.0.1 (port 0) for tests of the webhooks:
// it records every request and answers with the status codes it is given,
// in turn (the last one repeats). Served by cpp-httplib (its SSLServer for
// https); httplib.h is included by the .cc only.

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace pmo::reporting::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;  // the request target as sent, query included
  // Names in lower case; values as cpp-httplib gives them (it decodes
  // %-escapes, which the webhook headers never hold).
  std::map<std::string, std::string> headers;
  std::string body;
};

// A certificate and key (PEM files) for a receiver speaking https.
struct TlsFiles {
  std::string certificate;
  std::string key;
};

// Makes a self-signed certificate for 127.0.0.1 (the `openssl` command)
// in `dir`; it is also the CA file a client trusts.
TlsFiles MakeSelfSignedCertificate(const std::string& dir);

class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::vector<int> statuses = {204});
  // An https receiver.
  WebhookReceiver(std::vector<int> statuses, const TlsFiles& tls);
  ~WebhookReceiver();

  int port() const { return port_; }
  // http:// or https://127.0.0.1:<port><path>.
  std::string Url(const std::string& path = "/hook") const;
  std::vector<ReceivedRequest> requests() const;
  // Waits until at least `n` requests came, or `timeout` passed.
  bool WaitForRequests(size_t n, absl::Duration timeout) const;

 private:
  void Start();
  std::unique_ptr<httplib::Server> server_;
  bool tls_ = false;
  int port_ = 0;
  const std::vector<int> statuses_;
  mutable absl::Mutex mu_;
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

// Lower-case hex HMAC-SHA256, computed here independently of the service's
// signer so a test checks the signature against the documented recipe.
std::string HmacSha256Hex(const std::string& key, const std::string& message);

}  // namespace pmo::reporting::testing
