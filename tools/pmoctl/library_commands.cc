// pmoctl's methodology library (pmo.configuration.v1.LibraryService): the
// PMO's methodologies as published, versioned definitions of phases and
// their stage gates, which projects then apply (pmoctl does that through
// the projects service). A published version never changes; a newer one is
// published beside it, an outdated one withdrawn.

#include <fstream>
#include <sstream>

#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "pmo/configuration/v1/library_service.grpc.pb.h"
#include "tools/pmoctl/command.h"

namespace pmoctl {
namespace {

namespace cv1 = ::pmo::configuration::v1;
using Stub = cv1::LibraryService::Stub;

Table MethodologiesTable(
    const google::protobuf::RepeatedPtrField<cv1::MethodologyVersion>& all) {
  Table t({"METHODOLOGY_ID", "NAME", "VERSION", "PHASES", "PUBLISHED_BY",
           "PUBLISHED_AT", "WITHDRAWN"});
  for (const auto& m : all) {
    std::vector<std::string> phases;
    for (const auto& p : m.phases()) phases.push_back(p.name());
    t.Add({m.methodology_id(), m.name(), m.version(),
           absl::StrJoin(phases, " > "), m.published_by(),
           FormatTime(m.published_at()), m.withdrawn() ? "yes" : "no"});
  }
  return t;
}

template <typename Response>
Table MethodologyOf(const Response& r) {
  google::protobuf::RepeatedPtrField<cv1::MethodologyVersion> one;
  *one.Add() = r.methodology();
  return MethodologiesTable(one);
}

int Publish(Session& s, const Invocation& in) {
  cv1::PublishMethodologyVersionRequest req;
  if (in.Has("phases-file")) {
    // The whole structure (gates with deliverables and criteria) as the
    // request's JSON: {"phases": [{"name": ..., "gate": {...}}]}.
    std::ifstream file(in.Str("phases-file"), std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    if (!file) {
      in.Mistake("--phases-file: cannot read '" + in.Str("phases-file") + "'");
    } else if (auto status = google::protobuf::util::JsonStringToMessage(
                   text.str(), &req);
               !status.ok()) {
      in.Mistake("--phases-file: not a JSON {\"phases\": [...]}: " +
                 status.ToString());
    }
  }
  req.set_request_id(in.RequestId());
  req.set_name(in.Str("name"));
  req.set_version(in.Str("version"));
  req.set_description(in.Str("description"));
  for (const std::string& p : in.All("phase")) {
    const size_t eq = p.find('=');
    if (eq == std::string::npos) {
      in.Mistake(
          "--phase must be PHASE=GATE, e.g. 'Initiation=Charter approved', not "
          "'" +
          p + "'");
      continue;
    }
    cv1::MethodologyPhase* phase = req.add_phases();
    phase->set_name(p.substr(0, eq));
    phase->mutable_gate()->set_name(p.substr(eq + 1));
  }
  return CallAndPrint(s, in, &Stub::PublishMethodologyVersion, req,
                      MethodologyOf<cv1::PublishMethodologyVersionResponse>);
}

int Get(Session& s, const Invocation& in) {
  cv1::GetMethodologyVersionRequest req;
  req.set_methodology_id(in.Arg(0));
  return CallAndPrint(s, in, &Stub::GetMethodologyVersion, req,
                      [](const cv1::GetMethodologyVersionResponse& r) {
                        Table t({"PHASE", "GATE", "DELIVERABLES", "CRITERIA"});
                        for (const auto& p : r.methodology().phases()) {
                          t.Add({p.name(), p.gate().name(),
                                 absl::StrJoin(p.gate().deliverables(), "; "),
                                 absl::StrJoin(p.gate().criteria(), "; ")});
                        }
                        return t;
                      });
}

int List(Session& s, const Invocation& in) {
  cv1::ListMethodologyVersionsRequest req;
  req.set_name(in.Str("name"));
  return CallAndPrint(s, in, &Stub::ListMethodologyVersions, req,
                      [](const cv1::ListMethodologyVersionsResponse& r) {
                        return MethodologiesTable(r.methodologies());
                      });
}

int Withdraw(Session& s, const Invocation& in) {
  cv1::WithdrawMethodologyVersionRequest req;
  req.set_request_id(in.RequestId());
  req.set_methodology_id(in.Arg(0));
  req.set_reason(in.Str("reason"));
  SetExpectedVersion(in, &req);
  return CallAndPrint(s, in, &Stub::WithdrawMethodologyVersion, req,
                      MethodologyOf<cv1::WithdrawMethodologyVersionResponse>);
}

}  // namespace

void AddLibraryCommands(std::vector<Command>* out) {
  out->push_back({"methodologies",
                  "publish",
                  {},
                  "Publish a methodology version: its phases, each ending in a "
                  "stage gate.",
                  {{"name", "TEXT", "the methodology, e.g. PRINCE2", true},
                   {"version", "TEXT", "e.g. 2.1", true},
                   {"description", "TEXT", "what it is for"},
                   {"phase", "PHASE=GATE",
                    "a phase and the gate ending it, in order", false, true},
                   {"phases-file", "FILE",
                    "phases as JSON {\"phases\": [...]}, with gate "
                    "deliverables and criteria"}},
                  Publish});
  out->push_back({"methodologies",
                  "get",
                  {"METHODOLOGY_ID"},
                  "Show a methodology version's phases and gates.",
                  {},
                  Get});
  out->push_back({"methodologies",
                  "list",
                  {},
                  "List methodology versions.",
                  {{"name", "TEXT", "only this methodology's versions"}},
                  List});
  out->push_back(
      {"methodologies",
       "withdraw",
       {"METHODOLOGY_ID"},
       "Withdraw a methodology version: projects no longer apply it.",
       {{"reason", "TEXT", "why", true}, ExpectedVersionOption()},
       Withdraw});
}

}  // namespace pmoctl
