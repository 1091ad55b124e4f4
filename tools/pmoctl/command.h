#pragma once

// The pieces every pmoctl command is made of: its description (for parsing,
// --help and shell completion), the parsed invocation, and the session it
// runs in (channel, principal, output format).
//
// A command area (projects_commands.cc, risks_commands.cc, ...) appends its
// Commands to the registry; main.cc parses the command line against them.

#include <grpcpp/grpcpp.h>

#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "tools/pmoctl/config.h"

namespace pmoctl {

// Exit codes; documented in `pmoctl --help` and README.
enum ExitCode {
  kExitOk = 0,
  kExitRefused =
      1,  // the server refused: invalid argument, failed precondition, exists
  kExitUsage = 2,        // wrong usage: pmoctl sent nothing
  kExitUnreachable = 3,  // unavailable or deadline exceeded: retrying may help
  kExitNotFound = 4,     // the thing named does not exist
  kExitConflict = 5,     // version conflict (ABORTED): re-read and retry
  kExitDenied = 6,       // unauthenticated or permission denied
};

struct Option {
  std::string name;        // without "--"
  std::string value_name;  // empty: a flag without value
  std::string help;
  bool required = false;
  bool repeated = false;
};

class Invocation;
class Session;

struct Command {
  std::string group;  // e.g. "risks"
  std::string name;   // e.g. "assess"
  // Positional arguments, e.g. {"RISK_ID"}; all required.
  std::vector<std::string> args;
  std::string summary;
  std::vector<Option> options;
  std::function<int(Session&, const Invocation&)> run;
};

// Appended by each area; see registry.cc.
void AddProjectCommands(std::vector<Command>* out);
void AddPortfolioCommands(std::vector<Command>* out);
void AddResourceCommands(std::vector<Command>* out);
void AddRiskCommands(std::vector<Command>* out);
void AddChangeControlCommands(std::vector<Command>* out);
void AddReportCommands(std::vector<Command>* out);
void AddDocumentCommands(std::vector<Command>* out);
void AddConfigurationCommands(std::vector<Command>* out);
void AddCommunicationCommands(std::vector<Command>* out);
void AddQualityCommands(std::vector<Command>* out);
void AddToolCommands(std::vector<Command>* out);
void AddLibraryCommands(std::vector<Command>* out);
void AddDemoCommands(std::vector<Command>* out);

// One command's arguments after parsing. The typed getters record what they
// could not read instead of failing at once, so a handler builds its whole
// request, then asks ok() once and reports every mistake together.
class Invocation {
 public:
  Invocation(std::vector<std::string> args,
             std::multimap<std::string, std::string> options)
      : args_(std::move(args)), options_(std::move(options)) {}

  const std::string& Arg(size_t i) const { return args_.at(i); }
  bool Has(const std::string& name) const { return options_.count(name) > 0; }
  // The option's last value, or "".
  std::string Str(const std::string& name) const;
  std::vector<std::string> All(const std::string& name) const;
  // Typed values; a value that does not parse is recorded and 0 returned.
  int64_t Int(const std::string& name, int64_t fallback = 0) const;
  double Double(const std::string& name, double fallback = 0) const;
  // The option's YYYY-MM-DD value. Callers set a date field only when the
  // option is given: a mutable_ accessor alone marks an absent date present,
  // and the server then refuses it as no calendar date.
  google::type::Date Date(const std::string& name) const;
  // Parses `text` as a date; records a mistake about `what` otherwise.
  google::type::Date ParseDate(const std::string& what,
                               const std::string& text) const;
  // Looks `text` up in an enum by its name with or without `prefix`
  // ("threat" -> RISK_KIND_THREAT), case-insensitive.
  template <typename Enum>
  Enum EnumValue(const std::string& what, const std::string& text,
                 const std::string& prefix,
                 bool (*parse)(const std::string&, Enum*)) const {
    Enum value{};
    if (!text.empty() && !parse(Upper(text, prefix), &value)) {
      Mistake(absl::StrCat(what, ": unknown value '", text, "'"));
    }
    return value;
  }
  // A fresh request id, or --request-id when given (to retry safely).
  std::string RequestId() const;
  void Mistake(std::string text) const { mistakes_.push_back(std::move(text)); }
  bool ok() const { return mistakes_.empty(); }
  // Prints the mistakes; returns kExitUsage.
  int UsageError() const;

 private:
  static std::string Upper(const std::string& text, const std::string& prefix);
  std::vector<std::string> args_;
  std::multimap<std::string, std::string> options_;
  mutable std::vector<std::string> mistakes_;
};

// A table for people: columns as wide as their widest cell.
class Table {
 public:
  explicit Table(std::vector<std::string> headers)
      : headers_(std::move(headers)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// The connection and the output format shared by every command.
class Session {
 public:
  Session(const Settings& settings, std::ostream& out);

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  bool json() const { return json_; }
  std::ostream& out() const { return out_; }

  // Calls a unary RPC with the principal header and the deadline; on
  // failure prints the status (and any field violations) to stderr and
  // returns its exit code, else kExitOk.
  template <typename Stub, typename Request, typename Response>
  int Call(Stub* stub,
           grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                        Response*),
           const Request& request, Response* response) const {
    grpc::ClientContext context;
    Prepare(&context);
    return Report((stub->*method)(&context, request, response));
  }

  // Like Call, but the failure is left to the caller, unprinted: for a
  // command that retries (pmoctl demo waits while a service has not yet
  // learnt a new project from events). Report prints it as Call would.
  template <typename Stub, typename Request, typename Response>
  grpc::Status TryCall(Stub* stub,
                       grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                    const Request&, Response*),
                       const Request& request, Response* response) const {
    grpc::ClientContext context;
    Prepare(&context);
    return (stub->*method)(&context, request, response);
  }
  // Prints a failed status (and any field violations) to stderr; returns
  // its exit code, or kExitOk for OK.
  int Report(const grpc::Status& status) const;

  // Prepares the context of a server stream: principal and credentials as
  // for Call, and the deadline only when a timeout was set (the stream
  // otherwise runs until the caller cancels it). Returns whether it set one.
  bool PrepareStream(grpc::ClientContext* context) const;

  // Prints `message` as JSON (for --output json).
  void PrintJson(const google::protobuf::Message& message) const;
  // Prints `message` as JSON on one line: one line per streamed message.
  void PrintJsonLine(const google::protobuf::Message& message) const;
  // With --output json prints `message`; otherwise the table.
  void Print(const google::protobuf::Message& message,
             const Table& table) const {
    if (json_) {
      PrintJson(message);
    } else {
      table.Print(out_);
    }
  }

 private:
  // The caller's identity: bearer token and development principal.
  void AddIdentity(grpc::ClientContext* context) const;
  // The identity and the deadline of a unary call.
  void Prepare(grpc::ClientContext* context) const;
  std::shared_ptr<grpc::Channel> channel_;
  pmo::grpcclient::ClientSecurity security_;
  std::string principal_;
  int timeout_seconds_;
  bool timeout_given_;
  bool json_;
  std::ostream& out_;
};

// The shape most handlers share: report usage mistakes (nothing is sent),
// call `method` on a stub of the session's channel, then print the response
// as JSON or as the table `make_table(response)` builds.
template <typename Stub, typename Request, typename Response,
          typename MakeTable>
int CallAndPrint(Session& s, const Invocation& in,
                 grpc::Status (Stub::*method)(grpc::ClientContext*,
                                              const Request&, Response*),
                 const Request& request, MakeTable make_table) {
  if (!in.ok()) return in.UsageError();
  Stub stub(s.channel());
  Response response;
  if (int rc = s.Call(&stub, method, request, &response)) return rc;
  s.Print(response, make_table(response));
  return kExitOk;
}

// --expected-version N: the optimistic concurrency guard of a change.
inline Option ExpectedVersionOption() {
  return {"expected-version", "N",
          "fail with a conflict (exit 5) unless at version N"};
}
template <typename Request>
void SetExpectedVersion(const Invocation& in, Request* request) {
  if (in.Has("expected-version"))
    request->set_expected_version(in.Int("expected-version"));
}

// Formatting shared by the areas.
std::string FormatDate(const google::type::Date& d);  // "" when unset
// An enum value's name without its type prefix: RISK_KIND_THREAT -> THREAT.
std::string EnumLabel(const std::string& full_name, const std::string& prefix);
std::string FormatDouble(double value, int decimals = 2);
// A timestamp as RFC 3339 in UTC, seconds precision; "" when unset.
std::string FormatTime(const google::protobuf::Timestamp& t);

}  // namespace pmoctl
