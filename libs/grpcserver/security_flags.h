#pragma once

// The security flags every service binary shares, defined once here so each
// main() needs a single line:
//
//   ServiceHostOptions options;
//   options.listen_address = absl::GetFlag(FLAGS_listen);
//   ApplySecurityFlags(options);
//
//   --insecure                listen beyond loopback without TLS and tokens
//   --tls_cert_file, --tls_key_file   server certificate chain and key (PEM)
//   --tls_client_ca_file      mutual TLS: CAs that sign client certificates
//   --tls_refresh             how often the files are checked for a change
//   --jwks_file               RS256/ES256 public keys of the token issuer
//   --jwks_refresh            how often the JWKS file is checked for new keys
//   --jwt_hs256_secret_file   development HS256 secret
//   --jwt_issuer, --jwt_audience, --jwt_max_clock_skew
// docs/security.md describes them.

#include "libs/grpcserver/service_host.h"

namespace pmo::grpcserver {

// Copies the flags into options.insecure and options.security; the files
// are read (and checked) by ServiceHost::Start.
void ApplySecurityFlags(ServiceHostOptions& options);

}  // namespace pmo::grpcserver
