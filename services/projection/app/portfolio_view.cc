#include "services/projection/app/portfolio_view.h"

#include <openssl/evp.h>

#include <algorithm>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"
#include "libs/base/time_format.h"
#include "libs/eventsourcing/event_codec.h"
#include "libs/subscription/sqlite_offsets.h"
#include "pmo/projects/v1/events.pb.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS portfolio_projects (
  project_id     TEXT PRIMARY KEY,
  code           TEXT NOT NULL,
  name           TEXT NOT NULL,
  manager        TEXT NOT NULL,
  status         INTEGER NOT NULL,
  planned_start  TEXT NOT NULL,
  planned_end    TEXT NOT NULL,
  version        INTEGER NOT NULL,
  updated_at_us  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS portfolio_projects_by_code ON portfolio_projects (code);
CREATE TABLE IF NOT EXISTS stream_versions (
  stream_id TEXT PRIMARY KEY,
  version   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS parked_events (
  stream_id       TEXT NOT NULL,
  stream_version  INTEGER NOT NULL,
  event_type      TEXT NOT NULL,
  payload         BLOB NOT NULL,
  occurred_at_us  INTEGER NOT NULL,
  recorded_at_us  INTEGER NOT NULL,
  PRIMARY KEY (stream_id, stream_version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS view_state (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id       TEXT NOT NULL,
  stream_type     TEXT NOT NULL,
  stream_version  INTEGER NOT NULL,
  event_type      TEXT NOT NULL,
  payload         BLOB NOT NULL,
  occurred_at_us  INTEGER NOT NULL,
  recorded_at_us  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS dead_letters (
  source     TEXT NOT NULL,
  partition  INTEGER NOT NULL,
  offset     INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (source, partition, offset)
) WITHOUT ROWID;
)sql";

constexpr char kTokenPrefix[] = "portfolio-after:";

std::string IsoDate(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

// Version 2 keys streams by source context (two contexts may use the same
// id, e.g. a portfolio and its risk matrix) and adds the journal. A view of
// an older version is dropped, offsets included, and rebuilt from the
// beginning of its sources.
constexpr int kSchemaVersion = 2;

absl::Status MigrateSchema(sqlite::Database& db) {
  ASSIGN_OR_RETURN(sqlite::Statement version, db.Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool has_row, version.Step());
  const int64_t found = has_row ? version.ColumnInt(0) : 0;
  ASSIGN_OR_RETURN(sqlite::Statement tables,
                   db.Prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"));
  ASSIGN_OR_RETURN(bool counted, tables.Step());
  if (found < kSchemaVersion && counted && tables.ColumnInt(0) > 0) {
    for (const char* table : {"portfolio_projects", "stream_versions", "parked_events",
                              "view_state", "dead_letters", "journal", "source_offsets"}) {
      RETURN_IF_ERROR(db.Execute(absl::StrCat("DROP TABLE IF EXISTS ", table)));
    }
  }
  RETURN_IF_ERROR(db.Execute(kSchema));
  return db.Execute(absl::StrCat("PRAGMA user_version = ", kSchemaVersion));
}

// Streams are keyed by the context they come from: the Kafka topic
// "pmo.<context>.events.v1" or the in-process source "store:<context>".
std::string StreamKey(const subscription::Delivery& d) {
  std::string context = d.source;
  if (absl::StartsWith(context, "store:")) {
    context = context.substr(6);
  } else if (absl::StartsWith(context, "pmo.")) {
    context = context.substr(4, context.find('.', 4) - 4);
  }
  return absl::StrCat(context, "/", d.event.stream_id);
}

absl::StatusOr<int64_t> SingleInt(sqlite::Database& db, const std::string& sql,
                                  int64_t if_none) {
  ASSIGN_OR_RETURN(sqlite::Statement stmt, db.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row && !stmt.ColumnIsNull(0) ? stmt.ColumnInt(0) : if_none;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PortfolioView>> PortfolioView::Open(
    const std::string& path, Options options) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> writer,
                   sqlite::Database::Open(path));
  RETURN_IF_ERROR(MigrateSchema(*writer));
  RETURN_IF_ERROR(subscription::CreateOffsetsTable(*writer));
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> reader,
                   sqlite::Database::Open(path));
  std::unique_ptr<PortfolioView> view(
      new PortfolioView(path, std::move(writer), std::move(reader), std::move(options)));
  // The live consolidation is the fold of everything applied so far.
  {
    std::lock_guard read(view->read_mu_);
    std::lock_guard live(view->live_mu_);
    RETURN_IF_ERROR(view->FoldJournal(*view->reader_, std::nullopt, *view->live_).status());
  }
  return view;
}

PortfolioView::~PortfolioView() { WaitForRebuild(); }

absl::StatusOr<int64_t> PortfolioView::FoldJournal(sqlite::Database& db, std::optional<absl::Time> until,
                                                   Consolidation& into, int64_t after_seq,
                                                   int64_t up_to_seq) {
  ASSIGN_OR_RETURN(sqlite::Statement stmt,
                   db.Prepare("SELECT stream_id, stream_type, stream_version, event_type, payload, "
                              "occurred_at_us, recorded_at_us, seq FROM journal WHERE occurred_at_us <= ? "
                              "AND seq > ? AND seq <= ? ORDER BY seq"));
  stmt.Bind(1, until ? ToUnixMicrosUtc(*until) : INT64_MAX).Bind(2, after_seq).Bind(3, up_to_seq);
  eventstore::RecordedEvent e;
  int64_t last = after_seq;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return last;
    last = stmt.ColumnInt(7);
    e.stream_id = stmt.ColumnText(0);
    e.stream_type = stmt.ColumnText(1);
    e.stream_version = stmt.ColumnInt(2);
    e.event_type = stmt.ColumnText(3);
    e.payload = stmt.ColumnBlob(4);
    e.occurred_at = FromUnixMicrosUtc(stmt.ColumnInt(5));
    e.recorded_at = FromUnixMicrosUtc(stmt.ColumnInt(6));
    into.Apply(e);
  }
}

absl::StatusOr<Overview> PortfolioView::ComputeOverview(absl::CivilDay status_date, bool as_of) {
  Overview out;
  RETURN_IF_ERROR(WithConsolidation(as_of ? std::optional(status_date) : std::nullopt,
                                    [&](const Consolidation& c) { out = c.Compute(status_date); }));
  return out;
}

absl::Status PortfolioView::WithConsolidation(
    std::optional<absl::CivilDay> as_of, const std::function<void(const Consolidation&)>& question) {
  if (!as_of) {
    std::lock_guard live(live_mu_);
    question(*live_);
    return absl::OkStatus();
  }
  Consolidation then;
  const absl::Time end_of_day = absl::FromCivil(*as_of + 1, absl::UTCTimeZone()) - absl::Microseconds(1);
  {
    std::lock_guard read(read_mu_);
    RETURN_IF_ERROR(FoldJournal(*reader_, end_of_day, then).status());
  }
  question(then);
  return absl::OkStatus();
}

absl::Duration PortfolioView::ApplyLag() {
  std::lock_guard live(live_mu_);
  return apply_lag_;
}

void PortfolioView::TakeApplyLagFrom(PortfolioView& live) {
  const absl::Duration lag = live.ApplyLag();
  std::lock_guard lock(live_mu_);
  apply_lag_ = lag;
}

absl::Status PortfolioView::StartRebuild() {
  std::lock_guard lock(rebuild_mu_);
  if (rebuild_.phase == RebuildState::Phase::kRunning) {
    return absl::FailedPreconditionError("a rebuild is already running");
  }
  if (rebuilder_.joinable()) rebuilder_.join();
  rebuild_ = RebuildState();
  rebuild_.phase = RebuildState::Phase::kRunning;
  rebuild_.started = absl::Now();
  rebuilder_ = std::thread([this] { RunRebuild(); });
  return absl::OkStatus();
}

PortfolioView::RebuildState PortfolioView::Rebuild() {
  std::lock_guard lock(rebuild_mu_);
  return rebuild_;
}

void PortfolioView::WaitForRebuild() {
  std::thread running;
  {
    std::lock_guard lock(rebuild_mu_);
    running = std::move(rebuilder_);
  }
  if (running.joinable()) running.join();
}

void PortfolioView::RunRebuild() {
  auto fresh = std::make_unique<Consolidation>();
  int64_t folded = 0;
  std::string live_digest, rebuilt_digest;
  absl::Status status = [&]() -> absl::Status {
    // A connection of its own: the long fold holds no lock the live view
    // or its queries need.
    ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db, sqlite::Database::Open(path_));
    ASSIGN_OR_RETURN(int64_t seq, FoldJournal(*db, std::nullopt, *fresh));
    // With no batch in flight the journal holds exactly what the live
    // consolidation has applied: fold the rest and switch.
    std::lock_guard write(write_mu_);
    ASSIGN_OR_RETURN(seq, FoldJournal(*db, std::nullopt, *fresh, seq));
    ASSIGN_OR_RETURN(folded, SingleInt(*db, absl::StrCat("SELECT COUNT(*) FROM journal WHERE seq <= ", seq), 0));
    rebuilt_digest = fresh->Digest();
    // live_ changes only under write_mu_ (Handle and this switch), held
    // here: reading it needs no live_mu_, so queries go on meanwhile and
    // wait only for the swap.
    live_digest = live_->Digest();
    std::lock_guard live(live_mu_);
    std::swap(live_, fresh);
    return absl::OkStatus();
  }();
  fresh.reset();  // the old live consolidation, outside every lock
  std::lock_guard lock(rebuild_mu_);
  rebuild_.events_folded = folded;
  rebuild_.live_digest = live_digest;
  rebuild_.rebuilt_digest = rebuilt_digest;
  rebuild_.finished = absl::Now();
  rebuild_.phase = status.ok() ? RebuildState::Phase::kSwitched : RebuildState::Phase::kFailed;
  if (!status.ok()) rebuild_.error = status.ToString();
}

absl::StatusOr<int64_t> PortfolioView::JournalSize() {
  std::lock_guard lock(read_mu_);
  return SingleInt(*reader_, "SELECT COUNT(*) FROM journal", 0);
}

absl::StatusOr<std::optional<int64_t>> PortfolioView::ResumeOffset(
    const std::string& source, int32_t partition) {
  std::lock_guard lock(read_mu_);
  return subscription::LoadOffset(*reader_, source, partition);
}

absl::Status PortfolioView::Handle(const std::vector<subscription::Delivery>& batch) {
  std::lock_guard lock(write_mu_);
  pending_.clear();
  absl::Status committed = sqlite::InTransaction(*writer_, [&]() -> absl::Status {
    for (const subscription::Delivery& d : batch) RETURN_IF_ERROR(HandleOne(d));
    if (!pending_.empty()) {
      // Once per batch: the newest recording time among the events applied.
      int64_t newest = INT64_MIN;
      for (const eventstore::RecordedEvent& e : pending_) newest = std::max(newest, ToUnixMicrosUtc(e.recorded_at));
      ASSIGN_OR_RETURN(sqlite::Statement* seen,
                       Writer("INSERT INTO view_state VALUES ('last_event_record_time_us', ?) ON CONFLICT "
                              "(key) DO UPDATE SET value = MAX(value, excluded.value)"));
      seen->Bind(1, newest);
      RETURN_IF_ERROR(seen->Run());
    }
    RETURN_IF_ERROR(subscription::SaveOffsets(*writer_, batch));
    if (options_.before_commit) RETURN_IF_ERROR(options_.before_commit());
    return absl::OkStatus();
  });
  for (auto& [sql, stmt] : write_statements_) stmt.Reset();  // no read left open
  // Only what is durably in the journal reaches the live consolidation.
  if (committed.ok() && !pending_.empty()) {
    std::lock_guard live(live_mu_);
    absl::Time newest = absl::InfinitePast();
    for (const eventstore::RecordedEvent& e : pending_) {
      live_->Apply(e);
      newest = std::max(newest, e.recorded_at);
    }
    apply_lag_ = absl::Now() - newest;
  }
  pending_.clear();
  return committed;
}

absl::StatusOr<sqlite::Statement*> PortfolioView::Writer(const char* sql) {
  auto it = write_statements_.find(sql);
  if (it == write_statements_.end()) {
    ASSIGN_OR_RETURN(sqlite::Statement stmt, writer_->Prepare(sql));
    it = write_statements_.emplace(sql, std::move(stmt)).first;
  }
  it->second.Reset();
  return &it->second;
}

absl::Status PortfolioView::HandleOne(const subscription::Delivery& d) {
  if (!d.undecodable_reason.empty()) {
    ASSIGN_OR_RETURN(sqlite::Statement* stmt,
                     Writer("INSERT OR IGNORE INTO dead_letters "
                                      "VALUES (?, ?, ?, ?)"));
    stmt->Bind(1, d.source).Bind(2, static_cast<int64_t>(d.partition))
        .Bind(3, d.offset).Bind(4, d.undecodable_reason);
    return stmt->Run();
  }
  return ApplyInOrder(StreamKey(d), d.event);
}

absl::Status PortfolioView::ApplyInOrder(const std::string& stream_key,
                                         const eventstore::RecordedEvent& e) {
  ASSIGN_OR_RETURN(sqlite::Statement* current,
                   Writer("SELECT version FROM stream_versions "
                                    "WHERE stream_id = ?"));
  current->Bind(1, stream_key);
  ASSIGN_OR_RETURN(bool known, current->Step());
  int64_t version = known ? current->ColumnInt(0) : 0;
  if (e.stream_version <= version) return absl::OkStatus();  // duplicate
  if (e.stream_version > version + 1) {
    // A gap: keep it until the missing versions arrive.
    ASSIGN_OR_RETURN(sqlite::Statement* park,
                     Writer("INSERT OR IGNORE INTO parked_events "
                                      "VALUES (?, ?, ?, ?, ?, ?)"));
    park->Bind(1, stream_key).Bind(2, e.stream_version).Bind(3, e.event_type)
        .BindBlob(4, e.payload).Bind(5, ToUnixMicrosUtc(e.occurred_at))
        .Bind(6, ToUnixMicrosUtc(e.recorded_at));
    return park->Run();
  }
  RETURN_IF_ERROR(ApplyToRows(e));
  version = e.stream_version;

  // The gap may have closed: apply what was parked behind it, in order.
  while (true) {
    ASSIGN_OR_RETURN(sqlite::Statement* next,
                     Writer("SELECT event_type, payload, occurred_at_us, "
                                      "recorded_at_us FROM parked_events WHERE "
                                      "stream_id = ? AND stream_version = ?"));
    next->Bind(1, stream_key).Bind(2, version + 1);
    ASSIGN_OR_RETURN(bool found, next->Step());
    if (!found) break;
    eventstore::RecordedEvent parked = e;
    parked.stream_version = version + 1;
    parked.event_type = next->ColumnText(0);
    parked.payload = next->ColumnBlob(1);
    parked.occurred_at = FromUnixMicrosUtc(next->ColumnInt(2));
    parked.recorded_at = FromUnixMicrosUtc(next->ColumnInt(3));
    RETURN_IF_ERROR(ApplyToRows(parked));
    ASSIGN_OR_RETURN(sqlite::Statement* unpark,
                     Writer("DELETE FROM parked_events WHERE "
                                      "stream_id = ? AND stream_version = ?"));
    unpark->Bind(1, stream_key).Bind(2, version + 1);
    RETURN_IF_ERROR(unpark->Run());
    ++version;
  }
  ASSIGN_OR_RETURN(sqlite::Statement* save,
                   Writer("INSERT INTO stream_versions VALUES (?, ?) "
                                    "ON CONFLICT (stream_id) DO UPDATE SET "
                                    "version = excluded.version"));
  save->Bind(1, stream_key).Bind(2, version);
  return save->Run();
}

absl::Status PortfolioView::ApplyToRows(const eventstore::RecordedEvent& e) {
  ASSIGN_OR_RETURN(sqlite::Statement* journal,
                   Writer("INSERT INTO journal (stream_id, stream_type, stream_version, "
                                    "event_type, payload, occurred_at_us, recorded_at_us) VALUES "
                                    "(?, ?, ?, ?, ?, ?, ?)"));
  journal->Bind(1, e.stream_id).Bind(2, e.stream_type).Bind(3, e.stream_version)
      .Bind(4, e.event_type).BindBlob(5, e.payload).Bind(6, ToUnixMicrosUtc(e.occurred_at))
      .Bind(7, ToUnixMicrosUtc(e.recorded_at));
  RETURN_IF_ERROR(journal->Run());
  pending_.push_back(e);

  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
      eventsourcing::DecodeEvent(e.event_type, e.payload);
  if (!decoded.ok()) {
    // An event type this build does not know (newer producer) or a payload
    // that does not parse: the version still counts and the row is
    // untouched, but it is recorded so it can be seen and replayed after an
    // upgrade (by a rebuild).
    ASSIGN_OR_RETURN(sqlite::Statement* note,
                     Writer("INSERT OR IGNORE INTO dead_letters "
                                      "VALUES (?, 0, ?, ?)"));
    note->Bind(1, absl::StrCat("stream:", e.stream_id)).Bind(2, e.stream_version)
        .Bind(3, decoded.status().message());
    return note->Run();
  }
  const int64_t at = ToUnixMicrosUtc(e.occurred_at);
  if (const auto* created = dynamic_cast<const pv1::ProjectCreated*>(decoded->get())) {
    ASSIGN_OR_RETURN(sqlite::Statement* insert,
                     Writer("INSERT OR REPLACE INTO portfolio_projects "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert->Bind(1, e.stream_id).Bind(2, created->code()).Bind(3, created->name())
        .Bind(4, created->manager()).Bind(5, static_cast<int64_t>(created->status()))
        .Bind(6, IsoDate(created->planned_start()))
        .Bind(7, IsoDate(created->planned_end())).Bind(8, e.stream_version)
        .Bind(9, at);
    return insert->Run();
  }
  if (const auto* changed =
          dynamic_cast<const pv1::ProjectStatusChanged*>(decoded->get())) {
    ASSIGN_OR_RETURN(sqlite::Statement* update,
                     Writer("UPDATE portfolio_projects SET status = ?, "
                                      "version = ?, updated_at_us = ? WHERE "
                                      "project_id = ?"));
    update->Bind(1, static_cast<int64_t>(changed->status())).Bind(2, e.stream_version)
        .Bind(3, at).Bind(4, e.stream_id);
    return update->Run();
  }
  if (e.stream_type != "project") return absl::OkStatus();  // only projects have rows
  ASSIGN_OR_RETURN(sqlite::Statement* touch,
                   Writer("UPDATE portfolio_projects SET version = ? "
                                    "WHERE project_id = ?"));
  touch->Bind(1, e.stream_version).Bind(2, e.stream_id);
  return touch->Run();
}

absl::StatusOr<PortfolioPage> PortfolioView::ListProjects(
    int page_size, const std::string& page_token, pv1::ProjectStatus status) {
  FieldViolations v;
  if (page_size < 0 || page_size > 1000) v.Add("page_size", "must be between 0 and 1000");
  std::string after;
  if (!page_token.empty()) {
    std::string text;
    if (!absl::WebSafeBase64Unescape(page_token, &text) ||
        !absl::StartsWith(text, kTokenPrefix)) {
      v.Add("page_token", "is not a token this service issued");
    } else {
      after = text.substr(sizeof(kTokenPrefix) - 1);
    }
  }
  if (!pv1::ProjectStatus_IsValid(status)) v.Add("status", "is not a project status");
  RETURN_IF_ERROR(v.ToStatus());
  if (page_size == 0) page_size = 100;

  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      reader_->Prepare("SELECT project_id, code, name, manager, status, "
                       "planned_start, planned_end, version, updated_at_us FROM "
                       "portfolio_projects WHERE code > ? AND (? = 0 OR status = ?) "
                       "ORDER BY code LIMIT ?"));
  stmt.Bind(1, after).Bind(2, static_cast<int64_t>(status))
      .Bind(3, static_cast<int64_t>(status)).Bind(4, static_cast<int64_t>(page_size + 1));
  PortfolioPage page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    PortfolioProject p;
    p.project_id = stmt.ColumnText(0);
    p.code = stmt.ColumnText(1);
    p.name = stmt.ColumnText(2);
    p.manager = stmt.ColumnText(3);
    p.status = static_cast<pv1::ProjectStatus>(stmt.ColumnInt(4));
    p.planned_start = stmt.ColumnText(5);
    p.planned_end = stmt.ColumnText(6);
    p.version = stmt.ColumnInt(7);
    p.updated_at = FromUnixMicrosUtc(stmt.ColumnInt(8));
    page.projects.push_back(std::move(p));
  }
  if (static_cast<int>(page.projects.size()) > page_size) {
    page.projects.resize(page_size);
    page.next_page_token = absl::WebSafeBase64Escape(
        absl::StrCat(kTokenPrefix, page.projects.back().code));
  }
  return page;
}

absl::StatusOr<std::string> PortfolioView::Digest() {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(
      sqlite::Statement stmt,
      reader_->Prepare("SELECT project_id, code, name, manager, status, "
                       "planned_start, planned_end, version, updated_at_us FROM "
                       "portfolio_projects ORDER BY project_id"));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    // Length-prefixed fields: no separator can be forged by a value.
    std::string line;
    for (int c = 0; c < 9; ++c) {
      const std::string value = stmt.ColumnText(c);
      absl::StrAppend(&line, value.size(), ":", value, ";");
    }
    line.push_back('\n');
    EVP_DigestUpdate(ctx.get(), line.data(), line.size());
  }
  {
    // The consolidated view's facts belong to the content too.
    std::lock_guard live(live_mu_);
    const std::string consolidated = live_->Digest();
    EVP_DigestUpdate(ctx.get(), consolidated.data(), consolidated.size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

absl::StatusOr<int64_t> PortfolioView::ProjectCount() {
  std::lock_guard lock(read_mu_);
  return SingleInt(*reader_, "SELECT COUNT(*) FROM portfolio_projects", 0);
}

absl::StatusOr<int64_t> PortfolioView::ParkedCount() {
  std::lock_guard lock(read_mu_);
  return SingleInt(*reader_, "SELECT COUNT(*) FROM parked_events", 0);
}

absl::StatusOr<absl::Time> PortfolioView::LastEventRecordTime() {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(int64_t us, SingleInt(*reader_,
                                         "SELECT value FROM view_state WHERE "
                                         "key = 'last_event_record_time_us'",
                                         0));
  return FromUnixMicrosUtc(us);
}

absl::StatusOr<std::vector<SourceOffset>> PortfolioView::Offsets() {
  std::lock_guard lock(read_mu_);
  ASSIGN_OR_RETURN(std::vector<subscription::SavedOffset> saved,
                   subscription::LoadOffsets(*reader_));
  std::vector<SourceOffset> out;
  for (const auto& o : saved) out.push_back({o.source, o.partition, o.next_offset});
  return out;
}

}  // namespace pmo::projection
