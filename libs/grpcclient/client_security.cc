#include "libs/grpcclient/client_security.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <grpcpp/support/channel_arguments.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <mutex>
#include <sstream>

namespace pmo::grpcclient {
namespace {

// Adds "authorization: Bearer <token>" to every call of a TLS channel, the
// token being the file's content, re-read when the file changes.
class BearerTokenPlugin : public grpc::MetadataCredentialsPlugin {
 public:
  explicit BearerTokenPlugin(std::string token_file)
      : token_file_(std::move(token_file)) {}

  grpc::Status GetMetadata(
      grpc::string_ref, grpc::string_ref, const grpc::AuthContext&,
      std::multimap<grpc::string, grpc::string>* metadata) override {
    std::string token;
    {
      std::lock_guard lock(mu_);
      Refresh();
      token = token_;
    }
    if (token.empty()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "no bearer token (token file empty or unreadable)");
    }
    metadata->insert({"authorization", "Bearer " + token});
    return grpc::Status::OK;
  }

 private:
  void Refresh() {
    struct stat info;
    if (stat(token_file_.c_str(), &info) != 0) return;
    const std::string seen = std::to_string(info.st_mtim.tv_sec) + "." +
                             std::to_string(info.st_mtim.tv_nsec) + ":" +
                             std::to_string(info.st_size);
    if (seen == seen_) return;
    std::ifstream in(token_file_);
    std::stringstream text;
    if (!in || !(text << in.rdbuf())) return;
    token_ = text.str();
    while (!token_.empty() &&
           std::isspace(static_cast<unsigned char>(token_.back()))) {
      token_.pop_back();
    }
    seen_ = seen;
  }

  std::mutex mu_;
  std::string token_;
  const std::string token_file_;
  std::string seen_;
};

}  // namespace

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address,
                                         const ClientSecurity& security) {
  if (!security.UsesTls()) {
    return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }
  grpc::experimental::TlsChannelCredentialsOptions tls;
  const bool identity =
      !security.tls_cert_file.empty() || !security.tls_key_file.empty();
  if (identity || !security.tls_ca_file.empty()) {
    // Re-read every minute when changed: a renewed client certificate is
    // used without restarting the caller.
    tls.set_certificate_provider(
        std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
            security.tls_key_file, security.tls_cert_file, security.tls_ca_file,
            60));
    if (!security.tls_ca_file.empty()) tls.watch_root_certs();
    if (identity) tls.watch_identity_key_cert_pairs();
  }
  grpc::ChannelArguments args;
  if (!security.tls_server_name.empty()) {
    args.SetSslTargetNameOverride(security.tls_server_name);
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::experimental::TlsCredentials(tls);
  if (!security.token_file.empty()) {
    credentials = grpc::CompositeChannelCredentials(
        credentials,
        grpc::MetadataCredentialsFromPlugin(
            std::make_unique<BearerTokenPlugin>(security.token_file)));
  }
  return grpc::CreateCustomChannel(address, credentials, args);
}

void AddCallCredentials(grpc::ClientContext& context,
                        const ClientSecurity& security) {
  if (!security.bearer_token.empty()) {
    context.AddMetadata("authorization", "Bearer " + security.bearer_token);
  }
}

}  // namespace pmo::grpcclient
