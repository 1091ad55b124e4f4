#include "tools/protodoc/api_reference.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.pb.h"
#include "libs/auth/access_policy.h"
#include "tools/protodoc/proto_text.h"

namespace pmo::protodoc {

namespace gp = google::protobuf;

namespace {

bool IsStatusCode(absl::string_view word) {
  static const auto* codes =
      new std::set<std::string, std::less<>>{"CANCELLED",
                                             "UNKNOWN",
                                             "INVALID_ARGUMENT",
                                             "DEADLINE_EXCEEDED",
                                             "NOT_FOUND",
                                             "ALREADY_EXISTS",
                                             "PERMISSION_DENIED",
                                             "RESOURCE_EXHAUSTED",
                                             "FAILED_PRECONDITION",
                                             "ABORTED",
                                             "OUT_OF_RANGE",
                                             "UNIMPLEMENTED",
                                             "INTERNAL",
                                             "UNAVAILABLE",
                                             "DATA_LOSS",
                                             "UNAUTHENTICATED"};
  return codes->count(word) > 0;
}

bool IsRuleName(absl::string_view word) {
  if (word.size() < 3 || IsStatusCode(word)) return false;
  for (char c : word) {
    if (!absl::ascii_isupper(c) && c != '_' && !absl::ascii_isdigit(c))
      return false;
  }
  return true;
}

std::vector<const gp::FileDescriptor*> ServiceFiles(
    const std::vector<const gp::FileDescriptor*>& files) {
  std::vector<const gp::FileDescriptor*> out;
  for (const gp::FileDescriptor* f : files) {
    if (f->service_count() > 0 && !ContextOf(f->package()).empty())
      out.push_back(f);
  }
  return out;
}

}  // namespace

std::string ErrorsNamedIn(absl::string_view comment) {
  std::vector<std::string> codes, rules;
  std::set<std::string> seen;
  bool after_rule = false;
  for (absl::string_view word : absl::StrSplit(
           comment, absl::ByAnyChar(" \n\t,.;:()\"`'/"), absl::SkipEmpty())) {
    if (IsStatusCode(word) && seen.insert(std::string(word)).second) {
      codes.emplace_back(word);
    } else if (after_rule && IsRuleName(word) &&
               seen.insert(std::string(word)).second) {
      rules.emplace_back(word);
    }
    // "rule X", "rules X and Y", "rule X or Y".
    if (word == "rule" || word == "rules") {
      after_rule = true;
    } else if (!IsRuleName(word) && word != "and" && word != "or") {
      after_rule = false;
    }
  }
  std::string out = absl::StrJoin(codes, ", ");
  if (!rules.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : " ", "(",
                    rules.size() == 1 ? "rule " : "rules ",
                    absl::StrJoin(rules, ", "), ")");
  }
  return out;
}

namespace {

// The row is "| `Service/Method` | kind | one cell per caller |"
// (auth::kAccessTableCallers): the rule, worded once in libs/auth.
std::vector<std::string> RuleCells(const gp::MethodDescriptor& method) {
  std::vector<std::string> cells =
      absl::StrSplit(auth::AccessTableRow(method), " | ");
  if (!cells.empty())
    cells.back() = std::string(absl::StripSuffix(cells.back(), " |"));
  return cells;
}

}  // namespace

std::string KindOfCall(const gp::MethodDescriptor& method) {
  const std::vector<std::string> cells = RuleCells(method);
  return cells.size() > 1 ? cells[1] : "see security.md";
}

std::string WhoMayCall(const gp::MethodDescriptor& method) {
  const std::vector<std::string> cells = RuleCells(method);
  constexpr size_t kCallers = std::size(auth::kAccessTableCallers);
  if (cells.size() != 2 + kCallers) return "see security.md";
  std::vector<std::string> who;
  for (size_t i = 0; i < kCallers; ++i) {
    const std::string& cell = cells[2 + i];
    const std::string caller =
        i == 1 ? "analyst or service" : auth::kAccessTableCallers[i];
    if (cell == "yes") who.push_back(caller);
    if (cell == "their projects")
      who.push_back(caller + " (answered over their projects)");
    if (cell == "own items") who.push_back(caller + " (their own items)");
  }
  return absl::StrJoin(who, ", ");
}

std::string RenderApiReference(
    const std::vector<const gp::FileDescriptor*>& files, Coverage& coverage) {
  const std::vector<const gp::FileDescriptor*> service_files =
      ServiceFiles(files);
  std::vector<const gp::Descriptor*> requests_and_responses;
  std::set<const gp::Descriptor*> listed;
  for (const gp::FileDescriptor* file : service_files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const gp::ServiceDescriptor& service = *file->service(s);
      for (int m = 0; m < service.method_count(); ++m) {
        for (const gp::Descriptor* d : {service.method(m)->input_type(),
                                        service.method(m)->output_type()}) {
          if (listed.insert(d).second) requests_and_responses.push_back(d);
        }
      }
    }
  }
  const TypeIndex types = ReachableTypes(requests_and_responses);
  const Linked linked = NamesOf(types);

  std::string out =
      "# gRPC API reference\n\n"
      "<!-- Generated by tools/protodoc from protos/pmo/*/v1/*.proto; do not "
      "edit.\n"
      "     Change the comments in the protos and run scripts/docs.sh. -->\n\n"
      "Every PMO server speaks gRPC (HTTP/2) and offers `grpc.health.v1` and "
      "server\n"
      "reflection, so any gRPC client can list the services and call these "
      "methods\n"
      "without the `.proto` files, e.g.\n"
      "`buf curl --protocol grpc --http2-prior-knowledge --list-services "
      "http://127.0.0.1:50051`\n"
      "and `buf curl --protocol grpc --http2-prior-knowledge -d '{}'\n"
      "http://127.0.0.1:50051/pmo.projects.v1.ProjectsService/ListProjects`.\n"
      "The all-in-one `pmo` serves every service below on one port; each\n"
      "`pmo-<context>` binary serves its own context's services.\n\n"
      "The contract every RPC follows "
      "([architecture.md](architecture.md#grpc-contract)):\n\n"
      "- `INVALID_ARGUMENT` with `google.rpc.BadRequest`, one field violation "
      "per bad\n"
      "  field; `NOT_FOUND`; `ALREADY_EXISTS`; `FAILED_PRECONDITION` for a "
      "broken\n"
      "  business rule (the rule named in `google.rpc.PreconditionFailure`);\n"
      "  `ABORTED` when `expected_version` does not match (re-read and "
      "retry);\n"
      "  `UNAVAILABLE` for a transient fault (retry the call).\n"
      "- With tokens on, `UNAUTHENTICATED` for a missing or bad bearer token "
      "and\n"
      "  `PERMISSION_DENIED` when the caller's role does not allow the call: "
      "\"who may\n"
      "  call it\" below is the rule the servers enforce "
      "([security.md](security.md)).\n"
      "  Without tokens (development, loopback only) every caller may call "
      "everything.\n"
      "- Commands take a client `request_id`: a retry by the same caller of "
      "the same\n"
      "  RPC with the same id returns the first result and records nothing "
      "new. Lists\n"
      "  that can grow large are paged (`page_size`, `page_token`).\n\n"
      "\"Errors its comments name\" lists the codes and rules an RPC's own "
      "comment (or\n"
      "its service's) spells out, beyond the contract above. The events the "
      "commands\n"
      "record: [events.md](events.md).\n\n"
      "| service | context | RPCs |\n|---|---|---|\n";
  for (const gp::FileDescriptor* file : service_files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const gp::ServiceDescriptor& service = *file->service(s);
      absl::StrAppend(
          &out, "| ", LinkTo(service.full_name(), service.full_name()), " | ",
          ContextOf(file->package()), " | ", service.method_count(), " |\n");
    }
  }
  out += "\n";

  for (const gp::FileDescriptor* file : service_files) {
    const std::string& package = file->package();
    for (int s = 0; s < file->service_count(); ++s) {
      const gp::ServiceDescriptor& service = *file->service(s);
      const std::string service_comment = CommentOf(service);
      absl::StrAppend(&out, Anchor(service.full_name()), "## ",
                      service.full_name(), "\n\n");
      if (std::string c = AsParagraphs(service_comment); !c.empty())
        absl::StrAppend(&out, c, "\n\n");
      absl::StrAppend(&out, "Source `", file->name(), "`; served by `pmo-",
                      ContextOf(package), "` and the all-in-one `pmo`.\n\n");
      if (std::string errors = ErrorsNamedIn(service_comment);
          !errors.empty()) {
        absl::StrAppend(&out,
                        "Errors the service's comment names for all its RPCs: ",
                        errors, ".\n\n");
      }
      for (int m = 0; m < service.method_count(); ++m) {
        const gp::MethodDescriptor& method = *service.method(m);
        const std::string comment = CommentOf(method);
        absl::StrAppend(
            &out, Anchor(method.full_name()), "### ", service.name(), "/",
            method.name(), method.options().deprecated() ? " (deprecated)" : "",
            "\n\n`rpc ", method.name(), "(",
            NameFrom(method.input_type()->full_name(), package), ") returns (",
            NameFrom(method.output_type()->full_name(), package), ")`\n\n");
        if (std::string c = AsParagraphs(comment); !c.empty())
          absl::StrAppend(&out, c, "\n\n");
        absl::StrAppend(&out, "- Kind: ", KindOfCall(method),
                        "; who may call it: ", WhoMayCall(method), "\n");
        if (std::string errors = ErrorsNamedIn(comment); !errors.empty()) {
          absl::StrAppend(&out, "- Errors its comment names: ", errors, "\n");
        }
        absl::StrAppend(
            &out, "\nRequest `",
            NameFrom(method.input_type()->full_name(), package), "`:\n\n",
            FieldTable(*method.input_type(), package, linked, coverage),
            "\nResponse `",
            NameFrom(method.output_type()->full_name(), package), "`:\n\n",
            FieldTable(*method.output_type(), package, linked, coverage), "\n");
      }
    }
  }
  absl::StrAppend(&out, "## Types the requests and responses use\n\n",
                  TypeSections(types, linked, coverage));
  absl::StrAppend(&out, "---\n\n", coverage.fields - coverage.undocumented,
                  " of ", coverage.fields,
                  " fields in this reference carry a comment; \"—\" marks the ",
                  coverage.undocumented, " that do not.\n");
  return out;
}

}  // namespace pmo::protodoc
