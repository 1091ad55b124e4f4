// pmoctl: a small command-line client of the PMO platform.
//
//   pmoctl projects create --code ERP --name "ERP" --manager alice
//          --start 2027-01-04 --end 2027-12-17
//   pmoctl projects list
//   pmoctl projects get <project-id>
//   pmoctl projects set-status <project-id> APPROVED --reason "board"
//   pmoctl portfolio list [--status ACTIVE]
//
// Global options: --addr HOST:PORT (or $PMO_ADDR; default 127.0.0.1:50051),
// --output table|json. Exit codes: 0 done, 1 the server refused or failed,
// 2 wrong usage, 3 server unreachable.

#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/base/ids.h"
#include "pmo/projection/v1/portfolio_service.grpc.pb.h"
#include "pmo/projects/v1/projects_service.grpc.pb.h"

namespace {

namespace pv1 = pmo::projects::v1;
namespace jv1 = pmo::projection::v1;

constexpr int kExitRefused = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUnreachable = 3;

constexpr char kUsage[] = R"(usage: pmoctl [--addr HOST:PORT] [--output table|json] COMMAND

commands:
  projects create --code CODE --name NAME --manager WHO --start YYYY-MM-DD --end YYYY-MM-DD
                  [--request-id ID]
  projects list
  projects get PROJECT_ID
  projects set-status PROJECT_ID STATUS --reason TEXT [--expected-version N]
                  STATUS: APPROVED ACTIVE ON_HOLD CLOSED CANCELLED
  portfolio list [--status STATUS]

--addr defaults to $PMO_ADDR, else 127.0.0.1:50051.
)";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
};

bool Parse(int argc, char** argv, Args* out) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") return false;
    if (a.rfind("--", 0) == 0) {
      std::string key = a.substr(2), value;
      if (size_t eq = key.find('='); eq != std::string::npos) {
        value = key.substr(eq + 1);
        key = key.substr(0, eq);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        std::fprintf(stderr, "pmoctl: --%s needs a value\n", key.c_str());
        return false;
      }
      out->options[key] = value;
    } else {
      out->positional.push_back(a);
    }
  }
  return true;
}

bool ParseDate(const std::string& text, google::type::Date* out) {
  std::vector<std::string> parts = absl::StrSplit(text, '-');
  int y, m, d;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &y) ||
      !absl::SimpleAtoi(parts[1], &m) || !absl::SimpleAtoi(parts[2], &d)) {
    return false;
  }
  out->set_year(y);
  out->set_month(m);
  out->set_day(d);
  return true;
}

std::string Date(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string StatusName(pv1::ProjectStatus s) {
  std::string name = pv1::ProjectStatus_Name(s);
  return name.substr(std::string("PROJECT_STATUS_").size());
}

bool ParseStatus(std::string text, pv1::ProjectStatus* out) {
  text = absl::AsciiStrToUpper(text);
  if (text.rfind("PROJECT_STATUS_", 0) != 0) text = "PROJECT_STATUS_" + text;
  return pv1::ProjectStatus_Parse(text, out);
}

int ReportError(const grpc::Status& status) {
  std::fprintf(stderr, "pmoctl: %s: %s\n",
               absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())).c_str(),
               status.error_message().c_str());
  google::rpc::Status details;
  if (details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad;
      if (any.UnpackTo(&bad)) {
        for (const auto& v : bad.field_violations()) {
          std::fprintf(stderr, "  %s: %s\n", v.field().c_str(), v.description().c_str());
        }
      }
    }
  }
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ? kExitUnreachable
                                                              : kExitRefused;
}

void PrintJson(const google::protobuf::Message& m) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(m, &json, options);
  std::cout << json;
}

void PrintProjects(const google::protobuf::RepeatedPtrField<pv1::Project>& projects) {
  std::printf("%-36s  %-12s  %-24s  %-12s  %-10s  %-10s  %-10s  %s\n", "ID", "CODE",
              "NAME", "MANAGER", "STATUS", "START", "END", "VERSION");
  for (const auto& p : projects) {
    std::printf("%-36s  %-12s  %-24s  %-12s  %-10s  %-10s  %-10s  %lld\n",
                p.project_id().c_str(), p.code().c_str(), p.name().substr(0, 24).c_str(),
                p.manager().c_str(), StatusName(p.status()).c_str(),
                Date(p.planned_start()).c_str(), Date(p.planned_end()).c_str(),
                static_cast<long long>(p.version()));
  }
}

class Cli {
 public:
  Cli(std::shared_ptr<grpc::Channel> channel, bool json)
      : projects_(pv1::ProjectsService::NewStub(channel)),
        portfolio_(jv1::PortfolioService::NewStub(channel)),
        json_(json) {}

  int Run(const Args& a) {
    const auto& p = a.positional;
    if (p.size() >= 2 && p[0] == "projects" && p[1] == "create") return Create(a);
    if (p.size() == 2 && p[0] == "projects" && p[1] == "list") return ListProjects();
    if (p.size() == 3 && p[0] == "projects" && p[1] == "get") return Get(p[2]);
    if (p.size() == 4 && p[0] == "projects" && p[1] == "set-status") return SetStatus(a);
    if (p.size() == 2 && p[0] == "portfolio" && p[1] == "list") return Portfolio(a);
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }

 private:
  void PrintProject(const pv1::Project& project) const {
    if (json_) {
      PrintJson(project);
    } else {
      google::protobuf::RepeatedPtrField<pv1::Project> one;
      *one.Add() = project;
      PrintProjects(one);
    }
  }

  static std::string Opt(const Args& a, const std::string& key) {
    auto it = a.options.find(key);
    return it == a.options.end() ? std::string() : it->second;
  }

  int Create(const Args& a) {
    pv1::CreateProjectRequest req;
    req.set_request_id(Opt(a, "request-id").empty() ? pmo::NewUuid() : Opt(a, "request-id"));
    req.set_code(Opt(a, "code"));
    req.set_name(Opt(a, "name"));
    req.set_manager(Opt(a, "manager"));
    // Dates the CLI cannot read are left out: the server names the field.
    if (!Opt(a, "start").empty() && !ParseDate(Opt(a, "start"), req.mutable_planned_start())) {
      std::fprintf(stderr, "pmoctl: --start must be YYYY-MM-DD\n");
      return kExitUsage;
    }
    if (!Opt(a, "end").empty() && !ParseDate(Opt(a, "end"), req.mutable_planned_end())) {
      std::fprintf(stderr, "pmoctl: --end must be YYYY-MM-DD\n");
      return kExitUsage;
    }
    grpc::ClientContext ctx;
    pv1::CreateProjectResponse resp;
    grpc::Status s = projects_->CreateProject(&ctx, req, &resp);
    if (!s.ok()) return ReportError(s);
    PrintProject(resp.project());
    return 0;
  }

  int ListProjects() {
    pv1::ListProjectsResponse all;
    std::string token;
    do {
      pv1::ListProjectsRequest req;
      req.set_page_size(500);
      req.set_page_token(token);
      grpc::ClientContext ctx;
      pv1::ListProjectsResponse page;
      grpc::Status s = projects_->ListProjects(&ctx, req, &page);
      if (!s.ok()) return ReportError(s);
      for (auto& p : *page.mutable_projects()) *all.add_projects() = std::move(p);
      token = page.next_page_token();
    } while (!token.empty());
    if (json_) {
      PrintJson(all);
    } else {
      PrintProjects(all.projects());
    }
    return 0;
  }

  int Get(const std::string& id) {
    pv1::GetProjectRequest req;
    req.set_project_id(id);
    grpc::ClientContext ctx;
    pv1::GetProjectResponse resp;
    grpc::Status s = projects_->GetProject(&ctx, req, &resp);
    if (!s.ok()) return ReportError(s);
    PrintProject(resp.project());
    return 0;
  }

  int SetStatus(const Args& a) {
    pv1::ChangeProjectStatusRequest req;
    req.set_request_id(pmo::NewUuid());
    req.set_project_id(a.positional[2]);
    pv1::ProjectStatus status;
    if (!ParseStatus(a.positional[3], &status)) {
      std::fprintf(stderr, "pmoctl: unknown status %s\n", a.positional[3].c_str());
      return kExitUsage;
    }
    req.set_status(status);
    req.set_reason(Opt(a, "reason"));
    if (std::string v = Opt(a, "expected-version"); !v.empty()) {
      int64_t version;
      if (!absl::SimpleAtoi(v, &version)) {
        std::fprintf(stderr, "pmoctl: --expected-version must be a number\n");
        return kExitUsage;
      }
      req.set_expected_version(version);
    }
    grpc::ClientContext ctx;
    pv1::ChangeProjectStatusResponse resp;
    grpc::Status s = projects_->ChangeProjectStatus(&ctx, req, &resp);
    if (!s.ok()) return ReportError(s);
    PrintProject(resp.project());
    return 0;
  }

  int Portfolio(const Args& a) {
    jv1::ListPortfolioProjectsResponse all;
    std::string token;
    pv1::ProjectStatus status = pv1::PROJECT_STATUS_UNSPECIFIED;
    if (std::string s = Opt(a, "status"); !s.empty() && !ParseStatus(s, &status)) {
      std::fprintf(stderr, "pmoctl: unknown status %s\n", s.c_str());
      return kExitUsage;
    }
    do {
      jv1::ListPortfolioProjectsRequest req;
      req.set_page_size(500);
      req.set_page_token(token);
      req.set_status(status);
      grpc::ClientContext ctx;
      jv1::ListPortfolioProjectsResponse page;
      grpc::Status s = portfolio_->ListPortfolioProjects(&ctx, req, &page);
      if (!s.ok()) return ReportError(s);
      for (auto& p : *page.mutable_projects()) *all.add_projects() = std::move(p);
      *all.mutable_freshness() = page.freshness();
      token = page.next_page_token();
    } while (!token.empty());
    if (json_) {
      PrintJson(all);
      return 0;
    }
    std::printf("%-12s  %-24s  %-12s  %-10s  %-10s  %-10s\n", "CODE", "NAME", "MANAGER",
                "STATUS", "START", "END");
    for (const auto& p : all.projects()) {
      std::printf("%-12s  %-24s  %-12s  %-10s  %-10s  %-10s\n", p.code().c_str(),
                  p.name().substr(0, 24).c_str(), p.manager().c_str(),
                  StatusName(p.status()).c_str(), Date(p.planned_start()).c_str(),
                  Date(p.planned_end()).c_str());
    }
    for (const auto& pos : all.freshness().positions()) {
      std::printf("# as of %s[%d] at %lld\n", pos.source().c_str(), pos.partition(),
                  static_cast<long long>(pos.position()));
    }
    return 0;
  }

  std::unique_ptr<pv1::ProjectsService::Stub> projects_;
  std::unique_ptr<jv1::PortfolioService::Stub> portfolio_;
  bool json_;
};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!Parse(argc, argv, &args) || args.positional.empty()) {
    std::fputs(kUsage, args.positional.empty() ? stdout : stderr);
    return args.positional.empty() && argc > 1 ? 0 : kExitUsage;
  }
  std::string addr = args.options.count("addr") ? args.options["addr"] : "";
  if (addr.empty() && std::getenv("PMO_ADDR")) addr = std::getenv("PMO_ADDR");
  if (addr.empty()) addr = "127.0.0.1:50051";
  const std::string output = args.options.count("output") ? args.options["output"] : "table";
  if (output != "table" && output != "json") {
    std::fprintf(stderr, "pmoctl: --output must be table or json\n");
    return kExitUsage;
  }
  Cli cli(grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()), output == "json");
  return cli.Run(args);
}
