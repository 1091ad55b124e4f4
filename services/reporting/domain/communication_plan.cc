#include "services/reporting/domain/communication_plan.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"
#include "libs/base/proto_time.h"
#include "libs/base/status_macros.h"
#include "libs/base/text_checks.h"

namespace pmo::reporting {
namespace {

// http(s)://host[:port][/path]; credentials in the URL are refused (the
// URL is in events, so in Kafka), and so is whitespace.
bool IsWebhookUrl(const std::string& url) {
  size_t scheme = 0;
  if (absl::StartsWith(url, "http://")) scheme = 7;
  if (absl::StartsWith(url, "https://")) scheme = 8;
  if (scheme == 0 || url.size() <= scheme || url.size() > 2000) return false;
  const std::string authority =
      url.substr(scheme, url.find('/', scheme) - scheme);
  if (authority.empty() || authority.find('@') != std::string::npos)
    return false;
  for (char c : url) {
    if (c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

void CommunicationPlanAggregate::Apply(const google::protobuf::Message& event,
                                       absl::Time) {
  if (const auto* c =
          dynamic_cast<const v1::CommunicationPlanCreated*>(&event)) {
    state_.set_plan_id(c->plan_id());
    state_.set_name(c->name());
    *state_.mutable_starts_at() = c->starts_at();
  } else if (const auto* s =
                 dynamic_cast<const v1::StakeholderAdded*>(&event)) {
    *state_.add_stakeholders() = s->stakeholder();
  } else if (const auto* d =
                 dynamic_cast<const v1::DistributionAdded*>(&event)) {
    *state_.add_distributions() = d->distribution();
  } else if (const auto* r =
                 dynamic_cast<const v1::DistributionRemoved*>(&event)) {
    auto* all = state_.mutable_distributions();
    for (int i = 0; i < all->size(); ++i) {
      if (all->Get(i).distribution_id() == r->distribution_id()) {
        all->DeleteSubrange(i, 1);
        break;
      }
    }
  } else if (const auto* run =
                 dynamic_cast<const v1::DistributionRun*>(&event)) {
    for (v1::Distribution& d : *state_.mutable_distributions()) {
      if (d.distribution_id() == run->distribution_id())
        *d.mutable_last_slot() = run->slot();
    }
  }
}

const v1::Stakeholder* CommunicationPlanAggregate::FindStakeholder(
    const std::string& id) const {
  for (const v1::Stakeholder& s : state_.stakeholders()) {
    if (s.stakeholder_id() == id) return &s;
  }
  return nullptr;
}

const v1::Distribution* CommunicationPlanAggregate::FindDistribution(
    const std::string& id) const {
  for (const v1::Distribution& d : state_.distributions()) {
    if (d.distribution_id() == id) return &d;
  }
  return nullptr;
}

absl::StatusOr<eventsourcing::Decision> CommunicationPlanAggregate::Create(
    const std::string& plan_id, const std::string& name,
    absl::Time starts_at) const {
  if (exists()) return absl::AlreadyExistsError("communication plan exists");
  FieldViolations v;
  CheckText(v, "name", name, 200);
  RETURN_IF_ERROR(v.ToStatus());
  auto created = std::make_unique<v1::CommunicationPlanCreated>();
  created->set_plan_id(plan_id);
  created->set_name(name);
  *created->mutable_starts_at() = ToTimestamp(starts_at);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(created));
  return decision;
}

absl::StatusOr<eventsourcing::Decision>
CommunicationPlanAggregate::AddStakeholder(v1::Stakeholder stakeholder) const {
  if (!exists()) return absl::NotFoundError("communication plan not found");
  FieldViolations v;
  CheckText(v, "name", stakeholder.name(), 200);
  CheckOptionalText(v, "role", stakeholder.role(), 200);
  CheckOptionalText(v, "principal", stakeholder.principal(), 256);
  if (stakeholder.project_ids_size() > 1000)
    v.Add("project_ids", "must be at most 1000");
  for (int i = 0; i < stakeholder.project_ids_size(); ++i) {
    const std::string& id = stakeholder.project_ids(i);
    if (id.empty() || id.size() > 64 || HasControlCharacter(id)) {
      v.Add(absl::StrCat("project_ids[", i, "]"),
            "must be 1-64 characters, no control characters");
    }
  }
  const std::string& url = stakeholder.webhook_url();
  if (!url.empty() && !IsWebhookUrl(url)) {
    v.Add("webhook_url",
          "must be an http:// or https:// URL of at most 2000 characters, "
          "without user "
          "credentials");
  }
  RETURN_IF_ERROR(v.ToStatus());
  for (const v1::Stakeholder& s : state_.stakeholders()) {
    if (s.name() == stakeholder.name()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "stakeholder '", stakeholder.name(), "' is already in the plan"));
    }
  }
  auto added = std::make_unique<v1::StakeholderAdded>();
  added->set_plan_id(state_.plan_id());
  *added->mutable_stakeholder() = std::move(stakeholder);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(added));
  return decision;
}

absl::StatusOr<eventsourcing::Decision>
CommunicationPlanAggregate::AddDistribution(
    v1::Distribution distribution) const {
  if (!exists()) return absl::NotFoundError("communication plan not found");
  FieldViolations v;
  if (distribution.frequency() == v1::FREQUENCY_UNSPECIFIED ||
      !v1::Frequency_IsValid(distribution.frequency())) {
    v.Add("frequency", "must be DAILY, WEEKLY or MONTHLY");
  }
  if (distribution.channel() == v1::CHANNEL_UNSPECIFIED ||
      !v1::Channel_IsValid(distribution.channel())) {
    v.Add("channel", "must be INBOX or WEBHOOK");
  }
  const v1::Stakeholder* stakeholder =
      FindStakeholder(distribution.stakeholder_id());
  if (stakeholder == nullptr)
    v.Add("stakeholder_id", "is not a stakeholder of this plan");
  RETURN_IF_ERROR(v.ToStatus());
  if (distribution.channel() == v1::CHANNEL_WEBHOOK &&
      stakeholder->webhook_url().empty()) {
    return RuleViolationError(
        "WEBHOOK_NOT_CONFIGURED",
        absl::StrCat("stakeholders/", stakeholder->stakeholder_id()),
        absl::StrCat(stakeholder->name(), " has no webhook URL"));
  }
  distribution.clear_last_slot();
  auto added = std::make_unique<v1::DistributionAdded>();
  added->set_plan_id(state_.plan_id());
  *added->mutable_distribution() = std::move(distribution);
  eventsourcing::Decision decision;
  decision.events.push_back(std::move(added));
  return decision;
}

std::optional<DueRun> CommunicationPlanAggregate::DueFor(
    const v1::Distribution& distribution, absl::Time now) const {
  std::optional<absl::Time> last;
  if (distribution.has_last_slot())
    last = FromTimestamp(distribution.last_slot());
  return DueRunAt(FromTimestamp(state_.starts_at()), distribution.frequency(),
                  last, now);
}

absl::StatusOr<eventsourcing::Decision> CommunicationPlanAggregate::RecordRun(
    const std::string& distribution_id, const DueRun& run,
    const std::string& inbox_item_id) const {
  if (!exists()) return absl::NotFoundError("communication plan not found");
  const v1::Distribution* d = FindDistribution(distribution_id);
  if (d == nullptr) return absl::NotFoundError("distribution not found");
  eventsourcing::Decision decision;
  if (d->has_last_slot() && FromTimestamp(d->last_slot()) >= run.slot)
    return decision;
  auto recorded = std::make_unique<v1::DistributionRun>();
  recorded->set_plan_id(state_.plan_id());
  recorded->set_distribution_id(distribution_id);
  *recorded->mutable_slot() = ToTimestamp(run.slot);
  recorded->set_skipped_slots(run.skipped_slots);
  recorded->set_inbox_item_id(inbox_item_id);
  decision.events.push_back(std::move(recorded));
  return decision;
}

}  // namespace pmo::reporting
