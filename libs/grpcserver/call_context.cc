#include "libs/grpcserver/call_context.h"

#include <openssl/rand.h>

#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/auth/token_verifier.h"
#include "libs/base/content_hash.h"
#include "libs/eventsourcing/request_ids.h"

namespace pmo::grpcserver {
namespace {

std::optional<std::string> Header(const grpc::ServerContextBase& context,
                                  const std::string& key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) return std::nullopt;
  return std::string(it->second.data(), it->second.size());
}

class DevelopmentPrincipalResolver : public PrincipalResolver {
 public:
  absl::StatusOr<CallerPrincipal> Resolve(
      const grpc::ServerContextBase& context) const override {
    std::optional<std::string> name = Header(context, "x-pmo-principal");
    if (!name || name->empty() || name->size() > 128) {
      return CallerPrincipal{"anonymous", false};
    }
    return CallerPrincipal{*name, false};
  }
};

class BearerTokenResolver : public PrincipalResolver {
 public:
  explicit BearerTokenResolver(
      std::shared_ptr<const auth::TokenVerifier> verifier)
      : verifier_(std::move(verifier)) {}

  absl::StatusOr<CallerPrincipal> Resolve(
      const grpc::ServerContextBase& context) const override {
    std::optional<std::string> header = Header(context, "authorization");
    constexpr absl::string_view kBearer = "Bearer ";
    if (!header || header->size() <= kBearer.size() ||
        !absl::StartsWithIgnoreCase(*header, kBearer)) {
      return absl::UnauthenticatedError(
          "no bearer token: send the header \"authorization: Bearer <JWT>\"");
    }
    absl::StatusOr<auth::Principal> principal =
        verifier_->Verify(absl::string_view(*header).substr(kBearer.size()));
    if (!principal.ok()) return principal.status();
    return CallerPrincipal{principal->subject, true, *std::move(principal)};
  }

 private:
  std::shared_ptr<const auth::TokenVerifier> verifier_;
};

struct CallState {
  absl::StatusOr<CallerPrincipal> caller;
  bool authorize = false;
  // The RPC and its request, once the method guard has decoded it.
  std::string method;
  const google::protobuf::Message* request = nullptr;
};

// Principals by call. A call's entry lives from its first interceptor hook
// to its final status.
struct CallerRegistry {
  std::mutex mu;
  absl::flat_hash_map<const grpc::ServerContextBase*, CallState> calls;
};

CallerRegistry& Registry() {
  static CallerRegistry* registry = new CallerRegistry();
  return *registry;
}

std::string RandomHex(int bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  return absl::BytesToHexString(raw);
}

bool IsValidTraceparent(const std::string& t) {
  // version "00" - 32 hex trace id - 16 hex parent id - 2 hex flags
  if (t.size() != 55 || t[2] != '-' || t[35] != '-' || t[52] != '-')
    return false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (i == 2 || i == 35 || i == 52) continue;
    const char c = t[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return t.compare(3, 32, std::string(32, '0')) != 0;
}

// A digest of the request's content: the deterministic serialization, so
// the same fields always give the same bytes.
std::string FingerprintOf(const google::protobuf::Message& request) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  {
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return Sha256Hex(bytes);
}

}  // namespace

std::unique_ptr<PrincipalResolver> MakeDevelopmentPrincipalResolver() {
  return std::make_unique<DevelopmentPrincipalResolver>();
}

std::unique_ptr<PrincipalResolver> MakeBearerTokenResolver(
    std::shared_ptr<const auth::TokenVerifier> verifier) {
  return std::make_unique<BearerTokenResolver>(std::move(verifier));
}

void RememberCaller(const grpc::ServerContextBase* context,
                    absl::StatusOr<CallerPrincipal> caller, bool authorize) {
  std::lock_guard lock(Registry().mu);
  Registry().calls[context] = CallState{std::move(caller), authorize};
}

void RememberRequest(const grpc::ServerContextBase* context, std::string method,
                     const google::protobuf::Message* request) {
  std::lock_guard lock(Registry().mu);
  auto it = Registry().calls.find(context);
  if (it == Registry().calls.end()) return;  // not a call of ours
  it->second.method = std::move(method);
  it->second.request = request;
}

void ForgetCaller(const grpc::ServerContextBase* context) {
  std::lock_guard lock(Registry().mu);
  Registry().calls.erase(context);
}

CallerPrincipal CallerOf(const grpc::ServerContextBase& context) {
  std::lock_guard lock(Registry().mu);
  auto it = Registry().calls.find(&context);
  if (it == Registry().calls.end() || !it->second.caller.ok())
    return {"anonymous", false};
  return *it->second.caller;
}

absl::Status AuthenticationOf(const grpc::ServerContextBase& context) {
  std::lock_guard lock(Registry().mu);
  auto it = Registry().calls.find(&context);
  if (it == Registry().calls.end()) {
    return absl::FailedPreconditionError(
        "call not seen by the interceptor chain");
  }
  return it->second.caller.status();
}

bool AuthorizationRequired(const grpc::ServerContextBase& context) {
  std::lock_guard lock(Registry().mu);
  auto it = Registry().calls.find(&context);
  // A call the chain never saw is treated as needing authorization: fail
  // closed.
  return it == Registry().calls.end() || it->second.authorize;
}

std::string ActorName(const grpc::ServerContextBase& context,
                      const std::string& typed) {
  const CallerPrincipal caller = CallerOf(context);
  if (caller.authenticated ||
      (!caller.name.empty() && caller.name != "anonymous")) {
    return caller.name;
  }
  return typed;
}

eventsourcing::CommandContext CommandContextOf(
    const grpc::ServerContextBase& context, const std::string& request_id,
    std::optional<int64_t> expected_version) {
  eventsourcing::CommandContext out;
  const CallerPrincipal caller = CallerOf(context);
  std::string method;
  const google::protobuf::Message* request = nullptr;
  {
    std::lock_guard lock(Registry().mu);
    auto it = Registry().calls.find(&context);
    if (it != Registry().calls.end()) {
      method = it->second.method;
      request = it->second.request;
    }
  }
  if (!request_id.empty()) {
    out.request_id =
        eventsourcing::CallerScopedRequestId(caller.name, method, request_id);
  }
  if (request != nullptr) out.request_fingerprint = FingerprintOf(*request);
  out.expected_version = expected_version;
  out.metadata.actor = caller.name;
  out.metadata.causation_id = request_id;
  out.metadata.correlation_id =
      Header(context, "x-correlation-id").value_or(request_id);
  std::optional<std::string> traceparent = Header(context, "traceparent");
  if (traceparent && IsValidTraceparent(*traceparent)) {
    // Same trace, and this server's own span as the parent of what follows.
    out.metadata.traceparent = absl::StrCat(
        traceparent->substr(0, 36), RandomHex(8), traceparent->substr(52));
  } else {
    out.metadata.traceparent =
        absl::StrCat("00-", RandomHex(16), "-", RandomHex(8), "-01");
  }
  return out;
}

}  // namespace pmo::grpcserver
