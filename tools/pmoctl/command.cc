#include "tools/pmoctl/command.h"

#include <algorithm>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/base/ids.h"

namespace pmoctl {

std::string Invocation::Str(const std::string& name) const {
  auto range = options_.equal_range(name);
  return range.first == range.second ? std::string()
                                     : std::prev(range.second)->second;
}

std::vector<std::string> Invocation::All(const std::string& name) const {
  std::vector<std::string> out;
  auto range = options_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it)
    out.push_back(it->second);
  return out;
}

int64_t Invocation::Int(const std::string& name, int64_t fallback) const {
  if (!Has(name)) return fallback;
  int64_t v = 0;
  if (!absl::SimpleAtoi(Str(name), &v))
    Mistake("--" + name + " must be a whole number");
  return v;
}

double Invocation::Double(const std::string& name, double fallback) const {
  if (!Has(name)) return fallback;
  double v = 0;
  if (!absl::SimpleAtod(Str(name), &v))
    Mistake("--" + name + " must be a number");
  return v;
}

google::type::Date Invocation::ParseDate(const std::string& what,
                                         const std::string& text) const {
  google::type::Date date;
  std::vector<std::string> parts = absl::StrSplit(text, '-');
  int y, m, d;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &y) ||
      !absl::SimpleAtoi(parts[1], &m) || !absl::SimpleAtoi(parts[2], &d)) {
    Mistake(what + " must be a date YYYY-MM-DD");
    return date;
  }
  // Whether the date is real is the server's to say, with the field's name.
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

google::type::Date Invocation::Date(const std::string& name) const {
  return ParseDate("--" + name, Str(name));
}

std::string Invocation::RequestId() const {
  return Has("request-id") ? Str("request-id") : pmo::NewUuid();
}

std::string Invocation::Upper(const std::string& text,
                              const std::string& prefix) {
  std::string upper = absl::AsciiStrToUpper(text);
  std::replace(upper.begin(), upper.end(), '-', '_');
  return upper.rfind(prefix, 0) == 0 ? upper : prefix + upper;
}

int Invocation::UsageError() const {
  for (const std::string& m : mistakes_)
    std::fprintf(stderr, "pmoctl: %s\n", m.c_str());
  return kExitUsage;
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths;
  for (const auto& h : headers_) widths.push_back(h.size());
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      // The last column is not padded: no trailing blanks.
      text += i + 1 == widths.size()
                  ? cell
                  : absl::StrFormat("%-*s  ", widths[i], cell);
    }
    out << text << "\n";
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
}

Session::Session(const Settings& settings, std::ostream& out)
    : channel_(pmo::grpcclient::ChannelTo(settings.addr, settings.security)),
      security_(settings.security),
      principal_(settings.principal),
      timeout_seconds_(settings.timeout_seconds),
      timeout_given_(settings.timeout_given),
      json_(settings.output == "json"),
      out_(out) {}

void Session::AddIdentity(grpc::ClientContext* context) const {
  // The bearer token, if any; the development principal header is for a
  // server without authentication (libs/grpcserver/call_context.h).
  pmo::grpcclient::AddCallCredentials(*context, security_);
  if (!principal_.empty()) context->AddMetadata("x-pmo-principal", principal_);
}

void Session::Prepare(grpc::ClientContext* context) const {
  AddIdentity(context);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(timeout_seconds_));
}

bool Session::PrepareStream(grpc::ClientContext* context) const {
  if (!timeout_given_) {
    AddIdentity(context);
    return false;
  }
  Prepare(context);
  return true;
}

int Session::Report(const grpc::Status& status) const {
  if (status.ok()) return kExitOk;
  std::fprintf(stderr, "pmoctl: %s: %s\n",
               absl::StatusCodeToString(
                   static_cast<absl::StatusCode>(status.error_code()))
                   .c_str(),
               status.error_message().c_str());
  google::rpc::Status details;
  if (details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::BadRequest bad;
      if (any.UnpackTo(&bad)) {
        for (const auto& v : bad.field_violations()) {
          std::fprintf(stderr, "  %s: %s\n", v.field().c_str(),
                       v.description().c_str());
        }
      }
    }
  }
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return kExitUnreachable;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::ABORTED:
      return kExitConflict;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitDenied;
    default:
      return kExitRefused;
  }
}

void Session::PrintJsonLine(const google::protobuf::Message& message) const {
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json);
  if (!status.ok()) {
    std::fprintf(stderr, "pmoctl: cannot print as JSON: %s\n",
                 status.ToString().c_str());
    std::abort();
  }
  out_ << json << "\n";
}

void Session::PrintJson(const google::protobuf::Message& message) const {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    // Cannot happen for the messages pmoctl links; say so rather than print
    // half.
    std::fprintf(stderr, "pmoctl: cannot print as JSON: %s\n",
                 status.ToString().c_str());
    std::abort();
  }
  out_ << json;
}

std::string FormatDate(const google::type::Date& d) {
  if (d.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string EnumLabel(const std::string& full_name, const std::string& prefix) {
  return full_name.rfind(prefix, 0) == 0 ? full_name.substr(prefix.size())
                                         : full_name;
}

std::string FormatDouble(double value, int decimals) {
  return absl::StrFormat("%.*f", decimals, value);
}

std::string FormatTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

}  // namespace pmoctl
