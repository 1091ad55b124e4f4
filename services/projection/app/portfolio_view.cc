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
#include "pmo/projects/v1/events.pb.h"

namespace pmo::projection {
namespace {

namespace pv1 = ::pmo::projects::v1;

constexpr char kTokenPrefix[] = "portfolio-after:";

std::string IsoDate(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
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

}  // namespace

absl::StatusOr<std::unique_ptr<PortfolioView>> PortfolioView::Open(
    std::unique_ptr<ViewStorage> storage, Options options) {
  std::unique_ptr<PortfolioView> view(
      new PortfolioView(std::move(storage), std::move(options)));
  // The live consolidation is the fold of everything applied so far.
  {
    std::lock_guard read(view->read_mu_);
    std::lock_guard live(view->live_mu_);
    RETURN_IF_ERROR(
        FoldJournal(view->storage_->reader(), {}, *view->live_).status());
  }
  return view;
}

PortfolioView::~PortfolioView() { WaitForRebuild(); }

absl::StatusOr<int64_t> PortfolioView::FoldJournal(ViewReader& reader,
                                                   const JournalRange& range,
                                                   Consolidation& into) {
  return reader.ReadJournal(
      range, [&](const eventstore::RecordedEvent& e) { into.Apply(e); });
}

absl::StatusOr<Overview> PortfolioView::ComputeOverview(
    absl::CivilDay status_date, bool as_of) {
  Overview out;
  RETURN_IF_ERROR(WithConsolidation(
      as_of ? std::optional(status_date) : std::nullopt,
      [&](const Consolidation& c) { out = c.Compute(status_date); }));
  return out;
}

absl::Status PortfolioView::WithConsolidation(
    std::optional<absl::CivilDay> as_of,
    const std::function<void(const Consolidation&)>& question) {
  if (!as_of) {
    std::lock_guard live(live_mu_);
    question(*live_);
    return absl::OkStatus();
  }
  Consolidation then;
  const absl::Time end_of_day =
      absl::FromCivil(*as_of + 1, absl::UTCTimeZone()) - absl::Microseconds(1);
  {
    std::lock_guard read(read_mu_);
    RETURN_IF_ERROR(
        FoldJournal(storage_->reader(), {.until = end_of_day}, then).status());
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
    ASSIGN_OR_RETURN(std::unique_ptr<ViewReader> reader, storage_->NewReader());
    ASSIGN_OR_RETURN(int64_t seq, FoldJournal(*reader, {}, *fresh));
    // With no batch in flight the journal holds exactly what the live
    // consolidation has applied: fold the rest and switch.
    std::lock_guard write(write_mu_);
    ASSIGN_OR_RETURN(seq, FoldJournal(*reader, {.after_seq = seq}, *fresh));
    ASSIGN_OR_RETURN(folded, reader->JournalSize(seq));
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
  rebuild_.phase = status.ok() ? RebuildState::Phase::kSwitched
                               : RebuildState::Phase::kFailed;
  if (!status.ok()) rebuild_.error = status.ToString();
}

absl::StatusOr<int64_t> PortfolioView::JournalSize() {
  std::lock_guard lock(read_mu_);
  return storage_->reader().JournalSize();
}

absl::StatusOr<std::optional<int64_t>> PortfolioView::ResumeOffset(
    const std::string& source, int32_t partition) {
  std::lock_guard lock(read_mu_);
  return storage_->reader().LoadOffset(source, partition);
}

absl::Status PortfolioView::Handle(
    const std::vector<subscription::Delivery>& batch) {
  std::lock_guard lock(write_mu_);
  pending_.clear();
  batch_versions_.clear();
  ViewWriter& writer = storage_->writer();
  absl::Status committed = writer.InTransaction([&]() -> absl::Status {
    for (const subscription::Delivery& d : batch) RETURN_IF_ERROR(HandleOne(d));
    // Once per stream, not per event.
    for (const auto& [stream_key, version] : batch_versions_) {
      RETURN_IF_ERROR(writer.SetStreamVersion(stream_key, version));
    }
    if (!pending_.empty()) {
      // Once per batch: the newest recording time among the events applied.
      absl::Time newest = absl::InfinitePast();
      for (const Applied& a : pending_)
        newest = std::max(newest, a.event.recorded_at);
      RETURN_IF_ERROR(writer.RaiseLastEventRecordTime(newest));
    }
    RETURN_IF_ERROR(writer.SaveOffsets(batch));
    if (options_.before_commit) RETURN_IF_ERROR(options_.before_commit());
    return absl::OkStatus();
  });
  // Only what is durably in the journal reaches the live consolidation.
  if (committed.ok()) {
    for (const auto& [stream_key, version] : batch_versions_)
      committed_versions_[stream_key] = version;
  }
  if (committed.ok() && !pending_.empty()) {
    std::lock_guard live(live_mu_);
    absl::Time newest = absl::InfinitePast();
    for (const Applied& a : pending_) {
      if (a.decoded) live_->Apply(a.event, *a.decoded);
      newest = std::max(newest, a.event.recorded_at);
    }
    apply_lag_ = absl::Now() - newest;
  }
  pending_.clear();
  batch_versions_.clear();
  return committed;
}

absl::Status PortfolioView::HandleOne(const subscription::Delivery& d) {
  if (!d.undecodable_reason.empty()) {
    return storage_->writer().AddDeadLetter(d.source, d.partition, d.offset,
                                            d.undecodable_reason);
  }
  return ApplyInOrder(StreamKey(d), d.event);
}

absl::Status PortfolioView::ApplyInOrder(const std::string& stream_key,
                                         const eventstore::RecordedEvent& e) {
  ViewWriter& writer = storage_->writer();
  int64_t version = 0;
  if (auto moved = batch_versions_.find(stream_key);
      moved != batch_versions_.end()) {
    version = moved->second;
  } else if (auto known = committed_versions_.find(stream_key);
             known != committed_versions_.end()) {
    version = known->second;
  } else {
    ASSIGN_OR_RETURN(version, writer.StreamVersion(stream_key));
    committed_versions_[stream_key] =
        version;  // committed already: safe to keep
  }
  if (e.stream_version <= version) return absl::OkStatus();  // duplicate
  // A gap: keep it until the missing versions arrive.
  if (e.stream_version > version + 1) return writer.Park(stream_key, e);
  RETURN_IF_ERROR(ApplyToRows(e));
  version = e.stream_version;

  // The gap may have closed: apply what was parked behind it, in order.
  while (true) {
    eventstore::RecordedEvent parked = e;
    parked.stream_version = version + 1;
    ASSIGN_OR_RETURN(bool found,
                     writer.Unpark(stream_key, version + 1, parked));
    if (!found) break;
    RETURN_IF_ERROR(ApplyToRows(parked));
    ++version;
  }
  batch_versions_[stream_key] = version;
  return absl::OkStatus();
}

absl::Status PortfolioView::ApplyToRows(const eventstore::RecordedEvent& e) {
  ViewWriter& writer = storage_->writer();
  RETURN_IF_ERROR(writer.AppendJournal(e));
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
      eventsourcing::DecodeEvent(e.event_type, e.payload);
  pending_.push_back({e, decoded.ok() ? std::move(*decoded) : nullptr});
  if (!decoded.ok()) {
    // An event type this build does not know (newer producer) or a payload
    // that does not parse: the version still counts and the row is
    // untouched, but it is recorded so it can be seen and replayed after an
    // upgrade (by a rebuild).
    return writer.AddDeadLetter(absl::StrCat("stream:", e.stream_id), 0,
                                e.stream_version,
                                std::string(decoded.status().message()));
  }
  const google::protobuf::Message* message = pending_.back().decoded.get();
  if (const auto* created = dynamic_cast<const pv1::ProjectCreated*>(message)) {
    PortfolioProject row;
    row.project_id = e.stream_id;
    row.code = created->code();
    row.name = created->name();
    row.manager = created->manager();
    row.status = created->status();
    row.planned_start = IsoDate(created->planned_start());
    row.planned_end = IsoDate(created->planned_end());
    row.version = e.stream_version;
    row.updated_at = e.occurred_at;
    return writer.PutProject(row);
  }
  if (const auto* changed =
          dynamic_cast<const pv1::ProjectStatusChanged*>(message)) {
    return writer.SetProjectStatus(e.stream_id, changed->status(),
                                   e.stream_version, e.occurred_at);
  }
  if (e.stream_type != "project")
    return absl::OkStatus();  // only projects have rows
  return writer.SetProjectVersion(e.stream_id, e.stream_version);
}

absl::StatusOr<PortfolioPage> PortfolioView::ListProjects(
    int page_size, const std::string& page_token, pv1::ProjectStatus status) {
  FieldViolations v;
  if (page_size < 0 || page_size > 1000)
    v.Add("page_size", "must be between 0 and 1000");
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
  if (!pv1::ProjectStatus_IsValid(status))
    v.Add("status", "is not a project status");
  RETURN_IF_ERROR(v.ToStatus());
  if (page_size == 0) page_size = 100;

  PortfolioPage page;
  {
    std::lock_guard lock(read_mu_);
    ASSIGN_OR_RETURN(page.projects, storage_->reader().ListProjects(
                                        after, status, page_size + 1));
  }
  if (static_cast<int>(page.projects.size()) > page_size) {
    page.projects.resize(page_size);
    page.next_page_token = absl::WebSafeBase64Escape(
        absl::StrCat(kTokenPrefix, page.projects.back().code));
  }
  return page;
}

absl::StatusOr<std::string> PortfolioView::Digest() {
  std::vector<PortfolioProject> rows;
  {
    std::lock_guard lock(read_mu_);
    ASSIGN_OR_RETURN(rows, storage_->reader().AllProjects());
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (const PortfolioProject& p : rows) {
    // Length-prefixed fields: no separator can be forged by a value. The
    // numbers are written in decimal, as the columns' text: one digest for
    // every engine.
    std::string line;
    for (const std::string& value :
         {p.project_id, p.code, p.name, p.manager,
          absl::StrCat(static_cast<int>(p.status)), p.planned_start,
          p.planned_end, absl::StrCat(p.version),
          absl::StrCat(ToUnixMicrosUtc(p.updated_at))}) {
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
  return storage_->reader().ProjectCount();
}

absl::StatusOr<int64_t> PortfolioView::ParkedCount() {
  std::lock_guard lock(read_mu_);
  return storage_->reader().ParkedCount();
}

absl::StatusOr<absl::Time> PortfolioView::LastEventRecordTime() {
  std::lock_guard lock(read_mu_);
  return storage_->reader().LastEventRecordTime();
}

absl::StatusOr<std::vector<SourceOffset>> PortfolioView::Offsets() {
  std::lock_guard lock(read_mu_);
  return storage_->reader().LoadOffsets();
}

}  // namespace pmo::projection
