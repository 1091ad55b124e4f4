#pragma once

// Where pmoctl connects and as whom: flags, then environment, then the
// config file, then defaults.
//
//   setting    flag          environment      config key   default
//   address    --addr        PMO_ADDR         addr         127.0.0.1:50051
//   principal  --principal   PMO_PRINCIPAL    principal    (none)
//   output     --output      PMOCTL_OUTPUT    output       table
//   timeout    --timeout     PMOCTL_TIMEOUT   timeout      30 (seconds)
//   TLS CAs    --tls-ca      PMO_TLS_CA       tls-ca       (plain text)
//   client cert --tls-cert   PMO_TLS_CERT     tls-cert     (none; mutual TLS)
//   client key --tls-key     PMO_TLS_KEY      tls-key      (none)
//   token      --token-file  PMO_TOKEN_FILE   token-file   (none; or
//   $PMO_TOKEN)
//
// Any tls-* setting turns TLS on. The bearer token is read from the token
// file (or taken from $PMO_TOKEN) and sent as "authorization: Bearer";
// it is never printed.
//
// The config file is --config, else $PMOCTL_CONFIG, else
// $XDG_CONFIG_HOME/pmoctl/config, else ~/.config/pmoctl/config; a missing
// default file is fine, a missing named one is an error. Format: one
// `key = value` a line; `#` starts a comment.

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/grpcclient/client_security.h"

namespace pmoctl {

struct Settings {
  std::string addr = "127.0.0.1:50051";
  // Sent as the dev header x-pmo-principal; empty: not sent.
  std::string principal;
  std::string output = "table";
  int timeout_seconds = 30;
  // Whether the timeout was set (flag, environment or config file) rather
  // than defaulted: a stream (pmoctl inbox watch) runs until Ctrl-C unless
  // it was.
  bool timeout_given = false;
  // TLS files and the bearer token.
  pmo::grpcclient::ClientSecurity security;
  // The config file that was read; empty when none.
  std::string config_file;
};

// Reads `key = value` lines. INVALID_ARGUMENT naming file and line for a
// line without '=' or an unknown key.
absl::StatusOr<std::map<std::string, std::string>> ParseConfigFile(
    const std::string& text, const std::string& name);

// The settings from the given layers. `flags` holds the global options given
// on the command line (without "--"); `getenv` is injected so tests need no
// real environment.
absl::StatusOr<Settings> ResolveSettings(
    const std::map<std::string, std::string>& flags,
    const std::function<std::optional<std::string>(const std::string&)>&
        getenv);

}  // namespace pmoctl
