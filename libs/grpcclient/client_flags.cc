// The flags a service uses to reach another service (reporting -> projection
// today), defined once so each main needs one call.

#include "absl/flags/flag.h"
#include "libs/grpcclient/client_security.h"

ABSL_FLAG(
    std::string, client_tls_ca_file, "",
    "Calls to other services: use TLS, trusting these CA certificates (PEM)");
ABSL_FLAG(std::string, client_tls_cert_file, "",
          "Calls to other services: mutual TLS, this service's client "
          "certificate (PEM)");
ABSL_FLAG(
    std::string, client_tls_key_file, "",
    "Calls to other services: mutual TLS, this service's client key (PEM)");
ABSL_FLAG(std::string, client_token_file, "",
          "Calls to other services: a file with this service's bearer JWT "
          "(role service), "
          "re-read when it changes; TLS only");

namespace pmo::grpcclient {

ClientSecurity ClientSecurityFromFlags() {
  ClientSecurity security;
  security.tls_ca_file = absl::GetFlag(FLAGS_client_tls_ca_file);
  security.tls_cert_file = absl::GetFlag(FLAGS_client_tls_cert_file);
  security.tls_key_file = absl::GetFlag(FLAGS_client_tls_key_file);
  security.token_file = absl::GetFlag(FLAGS_client_token_file);
  return security;
}

}  // namespace pmo::grpcclient
