#include "tools/pmoctl/config.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace pmoctl {
namespace {

const std::set<std::string>& KnownKeys() {
  static const auto* keys =
      new std::set<std::string>{"addr",   "principal", "output",  "timeout",
                                "tls-ca", "tls-cert",  "tls-key", "token-file"};
  return *keys;
}

// The config file to read and whether it must exist (it must when named).
std::pair<std::string, bool> ConfigPath(
    const std::map<std::string, std::string>& flags,
    const std::function<std::optional<std::string>(const std::string&)>&
        getenv) {
  if (auto it = flags.find("config"); it != flags.end())
    return {it->second, true};
  if (auto p = getenv("PMOCTL_CONFIG")) return {*p, true};
  if (auto xdg = getenv("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
    return {*xdg + "/pmoctl/config", false};
  }
  if (auto home = getenv("HOME"); home && !home->empty()) {
    return {*home + "/.config/pmoctl/config", false};
  }
  return {"", false};
}

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> ParseConfigFile(
    const std::string& text, const std::string& name) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (size_t hash = line.find('#'); hash != std::string::npos)
      line.resize(hash);
    absl::string_view rest = absl::StripAsciiWhitespace(line);
    if (rest.empty()) continue;
    size_t eq = rest.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ":", number, ": expected key = value"));
    }
    std::string key(absl::StripAsciiWhitespace(rest.substr(0, eq)));
    if (!KnownKeys().count(key)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ":", number, ": unknown key '", key,
                       "' (addr, principal, output, timeout, tls-ca, tls-cert, "
                       "tls-key, token-file)"));
    }
    out[key] = std::string(absl::StripAsciiWhitespace(rest.substr(eq + 1)));
  }
  return out;
}

absl::StatusOr<Settings> ResolveSettings(
    const std::map<std::string, std::string>& flags,
    const std::function<std::optional<std::string>(const std::string&)>&
        getenv) {
  std::map<std::string, std::string> file;
  Settings s;
  auto [path, must_exist] = ConfigPath(flags, getenv);
  if (!path.empty()) {
    std::ifstream in(path);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      auto parsed = ParseConfigFile(text.str(), path);
      if (!parsed.ok()) return parsed.status();
      file = *std::move(parsed);
      s.config_file = path;
    } else if (must_exist) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot read config file ", path));
    }
  }
  // Highest layer first: a flag, the environment, the file.
  auto pick = [&](const std::string& key,
                  const char* env) -> std::optional<std::string> {
    if (auto it = flags.find(key); it != flags.end()) return it->second;
    if (auto v = getenv(env); v && !v->empty()) return v;
    if (auto it = file.find(key); it != file.end()) return it->second;
    return std::nullopt;
  };
  if (auto v = pick("addr", "PMO_ADDR")) s.addr = *v;
  if (auto v = pick("principal", "PMO_PRINCIPAL")) s.principal = *v;
  if (auto v = pick("output", "PMOCTL_OUTPUT")) s.output = *v;
  if (s.output != "table" && s.output != "json") {
    return absl::InvalidArgumentError(
        absl::StrCat("output must be table or json, not '", s.output, "'"));
  }
  if (auto v = pick("tls-ca", "PMO_TLS_CA")) s.security.tls_ca_file = *v;
  if (auto v = pick("tls-cert", "PMO_TLS_CERT")) s.security.tls_cert_file = *v;
  if (auto v = pick("tls-key", "PMO_TLS_KEY")) s.security.tls_key_file = *v;
  if (s.security.tls_cert_file.empty() != s.security.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "tls-cert and tls-key go together (mutual TLS)");
  }
  if (auto v = pick("token-file", "PMO_TOKEN_FILE")) {
    std::ifstream in(*v);
    std::stringstream token;
    if (!in || !(token << in.rdbuf())) {
      return absl::InvalidArgumentError(
          absl::StrCat("token-file: cannot read ", *v));
    }
    s.security.bearer_token =
        std::string(absl::StripAsciiWhitespace(token.str()));
  } else if (auto env = getenv("PMO_TOKEN"); env && !env->empty()) {
    s.security.bearer_token = std::string(absl::StripAsciiWhitespace(*env));
  }
  if (auto v = pick("timeout", "PMOCTL_TIMEOUT")) {
    s.timeout_given = true;
    if (!absl::SimpleAtoi(*v, &s.timeout_seconds) || s.timeout_seconds < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "timeout must be a whole number of seconds, not '", *v, "'"));
    }
  }
  return s;
}

}  // namespace pmoctl
