#include "tools/pmo-bench/targets.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/grpcserver/service_host.h"

namespace pmo::bench {

absl::StatusOr<Targets> ParseTargets(const std::vector<std::string>& entries,
                                     bool allow_remote) {
  std::string everywhere;
  std::map<std::string, std::string> by_service;
  for (const std::string& entry : entries) {
    if (entry.empty()) continue;
    std::string service, address = entry;
    if (const size_t eq = entry.find('='); eq != std::string::npos) {
      service = entry.substr(0, eq);
      address = entry.substr(eq + 1);
    }
    if (address.rfind(':') == std::string::npos || address.back() == ':') {
      return absl::InvalidArgumentError(absl::StrCat(
          "--target ", entry, ": expected host:port or service=host:port"));
    }
    if (!allow_remote && !grpcserver::IsLoopbackAddress(address)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--target ", address,
                       " is not loopback; pass --allow_remote to load it"));
    }
    if (service.empty()) {
      everywhere = address;
    } else if (service == "projects" || service == "resources" ||
               service == "risks" || service == "echo") {
      by_service[service] = address;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--target ", entry, ": unknown service '", service,
                       "' (projects, resources, risks, echo)"));
    }
  }
  if (everywhere.empty() && by_service.empty()) {
    return absl::InvalidArgumentError("--target is required");
  }
  auto pick = [&](const std::string& service) {
    auto it = by_service.find(service);
    return it != by_service.end() ? it->second : everywhere;
  };
  return Targets{pick("projects"), pick("resources"), pick("risks"),
                 pick("echo")};
}

}  // namespace pmo::bench
