#pragma once

// How a PMO client (pmoctl, pmo-bench, tests, one service calling another)
// reaches a server: plain text on loopback for development, or TLS (mutual
// TLS with a client certificate) and a bearer JWT.
//
//   ClientSecurity security{.tls_ca_file = "ca.pem", .bearer_token = token};
//   auto channel = ChannelTo("pmo.internal:50051", security);
//   grpc::ClientContext context;
//   AddCallCredentials(context, security);

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

namespace pmo::grpcclient {

struct ClientSecurity {
  // TLS when true or when any file below is set; the server's certificate
  // is checked against tls_ca_file (else the system's roots).
  bool tls = false;
  std::string tls_ca_file;
  // Mutual TLS: this client's certificate chain and key (PEM), re-read when
  // they change.
  std::string tls_cert_file;
  std::string tls_key_file;
  // The name the server's certificate must carry when it differs from the
  // address's host (e.g. dialling an IP).
  std::string tls_server_name;
  // Sent as "authorization: Bearer <token>" by AddCallCredentials on each
  // call; empty: none.
  std::string bearer_token;
  // A file holding the token, re-read when it changes (a service's
  // short-lived token renewed beside it): sent on every call of the
  // channel, with no AddCallCredentials. TLS channels only.
  std::string token_file;

  bool UsesTls() const {
    return tls || !tls_ca_file.empty() || !tls_cert_file.empty() ||
           !tls_key_file.empty() || !token_file.empty();
  }
};

// A channel to `address` with plain-text or TLS credentials as `security`
// says (not yet connected); with a token_file, every call carries it.
std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address,
                                         const ClientSecurity& security);

// Adds the bearer token, if any, to one call.
void AddCallCredentials(grpc::ClientContext& context,
                        const ClientSecurity& security);

// The ClientSecurity a service uses to call another service, from the
// flags --client_tls_ca_file, --client_tls_cert_file, --client_tls_key_file
// and --client_token_file (client_flags.cc).
ClientSecurity ClientSecurityFromFlags();

}  // namespace pmo::grpcclient
