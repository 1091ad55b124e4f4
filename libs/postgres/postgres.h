#pragma once

// A thin RAII layer over libpq: connect, prepare, execute with parameters.
// Every failure is an absl::Status naming the statement and PostgreSQL's
// message, with the code chosen by what the caller should do:
//   connection lost, server shutting down, deadlock/serialization  UNAVAILABLE
//   unique violation (23505) ALREADY_EXISTS disk full, out of memory, too many
//   connections (class 53)       RESOURCE_EXHAUSTED anything else INTERNAL
//
//   ASSIGN_OR_RETURN(auto db, postgres::Connection::Open(url));
//   RETURN_IF_ERROR(db->Prepare("find", "SELECT x FROM t WHERE id = $1"));
//   ASSIGN_OR_RETURN(postgres::Result r, db->Run("find", {Param("p1")}));

#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pmo::postgres {

// One statement parameter, sent as text, or as raw bytes for bytea.
struct Param {
  Param(absl::string_view text) : value(text) {}  // NOLINT: implicit on purpose
  Param(const std::string& text) : value(text) {}           // NOLINT
  Param(const char* text) : value(text) {}                  // NOLINT
  Param(int64_t number) : value(std::to_string(number)) {}  // NOLINT
  static Param Bytes(absl::string_view bytes) {
    Param p(bytes);
    p.binary = true;
    return p;
  }
  std::string value;
  bool binary = false;
};

// The rows of one statement, in text format. Row and column are 0-based.
class Result {
 public:
  explicit Result(PGresult* result) : result_(result, &PQclear) {}
  int rows() const { return PQntuples(result_.get()); }
  bool IsNull(int row, int col) const {
    return PQgetisnull(result_.get(), row, col);
  }
  std::string Text(int row, int col) const;
  int64_t Int(int row, int col) const;
  // A bytea column, unescaped.
  std::string Bytes(int row, int col) const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

class Connection {
 public:
  // `url` is a libpq connection string or URI, e.g.
  // postgresql://pmo@127.0.0.1:5432/pmo.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters (PQexec).
  absl::Status Execute(absl::string_view sql);
  // Runs one statement without parameters and returns its rows.
  absl::StatusOr<Result> Query(absl::string_view sql);
  // Prepares `sql` under `name`; prepared again by itself after a reconnect.
  absl::Status Prepare(const std::string& name, const std::string& sql);
  // Executes the prepared statement `name`.
  absl::StatusOr<Result> Run(const std::string& name,
                             const std::vector<Param>& params);

  // Reconnects (and prepares every statement again) when the connection was
  // lost. Never called implicitly: a transaction that was open is gone with
  // the connection, so only the caller knows when reconnecting is safe (the
  // statements above fail with UNAVAILABLE until it does).
  absl::Status EnsureConnected();
  PGconn* raw() { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  absl::StatusOr<Result> Check(PGresult* raw, absl::string_view what);
  absl::Status CheckConnected();

  PGconn* conn_;
  std::map<std::string, std::string> prepared_;  // name -> SQL
};

// `name` quoted as an SQL identifier after checking it is a plain lower-case
// name ([a-z_][a-z0-9_]*, at most 63 bytes): INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> PlainIdentifier(absl::string_view name);

// Whether `url` names a PostgreSQL database (postgresql:// or postgres://).
bool IsPostgresUrl(absl::string_view url);

}  // namespace pmo::postgres
