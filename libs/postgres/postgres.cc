#include "libs/postgres/postgres.h"

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"

namespace pmo::postgres {
namespace {

absl::Status StatusFor(const char* sqlstate, absl::string_view message) {
  const std::string state = sqlstate ? sqlstate : "";
  if (state.empty() || absl::StartsWith(state, "08") ||
      absl::StartsWith(state, "57P") || state == "40001" || state == "40P01") {
    return absl::UnavailableError(message);
  }
  if (state == "23505") return absl::AlreadyExistsError(message);
  if (absl::StartsWith(state, "53"))
    return absl::ResourceExhaustedError(message);
  return absl::InternalError(message);
}

}  // namespace

std::string Result::Text(int row, int col) const {
  return std::string(PQgetvalue(result_.get(), row, col),
                     PQgetlength(result_.get(), row, col));
}

int64_t Result::Int(int row, int col) const {
  int64_t v = 0;
  (void)absl::SimpleAtoi(PQgetvalue(result_.get(), row, col), &v);
  return v;
}

std::string Result::Bytes(int row, int col) const {
  size_t length = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(
                                           PQgetvalue(result_.get(), row, col)),
                                       &length);
  if (raw == nullptr) return "";
  std::string out(reinterpret_cast<char*>(raw), length);
  PQfreemem(raw);
  return out;
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    absl::Status s = absl::UnavailableError(
        absl::StrCat("cannot connect to PostgreSQL: ", PQerrorMessage(conn)));
    PQfinish(conn);
    return s;
  }
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

absl::StatusOr<Result> Connection::Check(PGresult* raw,
                                         absl::string_view what) {
  Result result(raw);
  const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* sqlstate =
      raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  const char* message = raw ? PQresultErrorMessage(raw) : PQerrorMessage(conn_);
  return StatusFor(sqlstate, absl::StrCat(what, ": ", message));
}

absl::Status Connection::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return absl::OkStatus();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat(
        "cannot reconnect to PostgreSQL: ", PQerrorMessage(conn_)));
  }
  for (const auto& [name, sql] : prepared_) {
    RETURN_IF_ERROR(
        Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), name)
            .status());
  }
  return absl::OkStatus();
}

absl::Status Connection::CheckConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("connection to PostgreSQL lost: ", PQerrorMessage(conn_)));
}

absl::Status Connection::Execute(absl::string_view sql) {
  return Query(sql).status();
}

absl::StatusOr<Result> Connection::Query(absl::string_view sql) {
  RETURN_IF_ERROR(CheckConnected());
  const std::string text(sql);
  return Check(PQexec(conn_, text.c_str()), text.substr(0, 80));
}

absl::Status Connection::Prepare(const std::string& name,
                                 const std::string& sql) {
  RETURN_IF_ERROR(CheckConnected());
  RETURN_IF_ERROR(
      Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), name)
          .status());
  prepared_[name] = sql;
  return absl::OkStatus();
}

absl::StatusOr<Result> Connection::Run(const std::string& name,
                                       const std::vector<Param>& params) {
  RETURN_IF_ERROR(CheckConnected());
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const Param& p : params) {
    values.push_back(p.value.data());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  return Check(
      PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                     values.data(), lengths.data(), formats.data(), 0),
      name);
}

absl::StatusOr<std::string> PlainIdentifier(absl::string_view name) {
  bool plain =
      !name.empty() && name.size() <= 63 && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      plain = false;
  }
  if (!plain) {
    return absl::InvalidArgumentError(absl::StrCat(
        "schema '", name,
        "' is not a plain lower-case name ([a-z_][a-z0-9_]*, at most 63)"));
  }
  return absl::StrCat("\"", name, "\"");
}

bool IsPostgresUrl(absl::string_view url) {
  return absl::StartsWith(url, "postgresql://") ||
         absl::StartsWith(url, "postgres://");
}

}  // namespace pmo::postgres
