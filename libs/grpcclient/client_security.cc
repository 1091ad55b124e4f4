#include "libs/grpcclient/client_security.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <grpcpp/support/channel_arguments.h>

namespace pmo::grpcclient {

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address,
                                         const ClientSecurity& security) {
  if (!security.UsesTls()) {
    return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  }
  grpc::experimental::TlsChannelCredentialsOptions tls;
  const bool identity = !security.tls_cert_file.empty() || !security.tls_key_file.empty();
  if (identity || !security.tls_ca_file.empty()) {
    // Re-read every minute when changed: a renewed client certificate is
    // used without restarting the caller.
    tls.set_certificate_provider(
        std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
            security.tls_key_file, security.tls_cert_file, security.tls_ca_file, 60));
    if (!security.tls_ca_file.empty()) tls.watch_root_certs();
    if (identity) tls.watch_identity_key_cert_pairs();
  }
  grpc::ChannelArguments args;
  if (!security.tls_server_name.empty()) {
    args.SetSslTargetNameOverride(security.tls_server_name);
  }
  return grpc::CreateCustomChannel(address, grpc::experimental::TlsCredentials(tls), args);
}

void AddCallCredentials(grpc::ClientContext& context, const ClientSecurity& security) {
  if (!security.bearer_token.empty()) {
    context.AddMetadata("authorization", "Bearer " + security.bearer_token);
  }
}

}  // namespace pmo::grpcclient
