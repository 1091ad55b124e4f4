#include "services/reporting/testing/webhook_receiver.h"

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace pmo::reporting::testing {

TlsFiles MakeSelfSignedCertificate(const std::string& dir) {
  TlsFiles files{dir + "/receiver.crt", dir + "/receiver.key"};
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout ",
      files.key, " -out ", files.certificate, " >/dev/null 2>&1");
  if (std::system(command.c_str()) != 0) std::abort();
  return files;
}

WebhookReceiver::WebhookReceiver(std::vector<int> statuses)
    : server_(std::make_unique<httplib::Server>()),
      statuses_(std::move(statuses)) {
  Start();
}

WebhookReceiver::WebhookReceiver(std::vector<int> statuses, const TlsFiles& tls)
    : server_(std::make_unique<httplib::SSLServer>(tls.certificate.c_str(),
                                                   tls.key.c_str())),
      tls_(true),
      statuses_(std::move(statuses)) {
  Start();
}

void WebhookReceiver::Start() {
  if (!server_->is_valid())
    std::abort();  // the certificate or key did not load
  auto record = [this](const httplib::Request& in, httplib::Response& out) {
    ReceivedRequest request;
    request.method = in.method;
    request.path = in.target;
    for (const auto& [name, value] : in.headers) {
      // cpp-httplib adds the connection's addresses as headers of its own.
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" ||
          name == "LOCAL_ADDR" || name == "LOCAL_PORT") {
        continue;
      }
      request.headers[absl::AsciiStrToLower(name)] = value;
    }
    request.body = in.body;
    // Recorded before the answer: a client that has its answer finds its
    // request here.
    absl::MutexLock lock(&mu_);
    out.status = statuses_[std::min(requests_.size(), statuses_.size() - 1)];
    out.set_header("Connection", "close");
    requests_.push_back(std::move(request));
  };
  server_->Get(".*", record);
  server_->Post(".*", record);
  server_->Put(".*", record);
  server_->Patch(".*", record);
  server_->Delete(".*", record);
  server_->Options(".*", record);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) std::abort();
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() ends only a server already running: a receiver destroyed at
  // once must not leave its thread listening.
  while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
}

WebhookReceiver::~WebhookReceiver() {
  server_->stop();
  thread_.join();
}

std::string WebhookReceiver::Url(const std::string& path) const {
  return absl::StrCat(tls_ ? "https" : "http", "://127.0.0.1:", port_, path);
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

bool WebhookReceiver::WaitForRequests(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, n]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return requests_.size() >= n;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

std::string HmacSha256Hex(const std::string& key, const std::string& message) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
       mac, &length);
  std::string out;
  for (unsigned int i = 0; i < length; ++i)
    absl::StrAppendFormat(&out, "%02x", mac[i]);
  return out;
}

}  // namespace pmo::reporting::testing
