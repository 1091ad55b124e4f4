#include "libs/grpcserver/security_flags.h"

#include "absl/flags/flag.h"

ABSL_FLAG(bool, insecure, false,
          "Allow listening beyond loopback without TLS and bearer-token "
          "authentication");
ABSL_FLAG(std::string, tls_cert_file, "",
          "TLS: the server's certificate chain (PEM)");
ABSL_FLAG(std::string, tls_key_file, "", "TLS: the server's private key (PEM)");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "Mutual TLS: CA certificates (PEM) that must sign every client's "
          "certificate");
ABSL_FLAG(absl::Duration, tls_refresh, absl::Seconds(60),
          "How often the TLS files are checked for a change (a renewed "
          "certificate is served "
          "without a restart)");
ABSL_FLAG(std::string, jwks_file, "",
          "Bearer tokens: the issuer's RS256/ES256 public keys (JWKS); enables "
          "roles");
ABSL_FLAG(absl::Duration, jwks_refresh, absl::Seconds(60),
          "How often the JWKS file is checked for new keys (the issuer rotated "
          "them)");
ABSL_FLAG(std::string, jwt_hs256_secret_file, "",
          "Bearer tokens: an HS256 shared secret file, for development");
ABSL_FLAG(std::string, jwt_issuer, "", "Bearer tokens: the required \"iss\"");
ABSL_FLAG(std::string, jwt_audience, "pmo",
          "Bearer tokens: the required \"aud\"");
ABSL_FLAG(absl::Duration, jwt_max_clock_skew, absl::Seconds(60),
          "Bearer tokens: clock skew allowed on exp and nbf (at most 5m)");

namespace pmo::grpcserver {

void ApplySecurityFlags(ServiceHostOptions& options) {
  options.insecure = absl::GetFlag(FLAGS_insecure);
  ServerSecurity& s = options.security;
  s.tls_certificate_file = absl::GetFlag(FLAGS_tls_cert_file);
  s.tls_private_key_file = absl::GetFlag(FLAGS_tls_key_file);
  s.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  s.tls_refresh = absl::GetFlag(FLAGS_tls_refresh);
  s.jwks_file = absl::GetFlag(FLAGS_jwks_file);
  s.jwks_refresh = absl::GetFlag(FLAGS_jwks_refresh);
  s.jwt_hs256_secret_file = absl::GetFlag(FLAGS_jwt_hs256_secret_file);
  s.jwt_issuer = absl::GetFlag(FLAGS_jwt_issuer);
  s.jwt_audience = absl::GetFlag(FLAGS_jwt_audience);
  s.jwt_max_clock_skew = absl::GetFlag(FLAGS_jwt_max_clock_skew);
}

}  // namespace pmo::grpcserver
