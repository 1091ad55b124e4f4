#include "tests/support/stored_events.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/sqlite/sqlite.h"

namespace pmo::testing {

std::vector<const StoredEvent*> StoredEvents::EventsOf(
    const std::string& request_id) const {
  std::vector<const StoredEvent*> out;
  auto it = requests.find(request_id);
  if (it == requests.end()) return out;
  for (const StoredEvent& e : events) {
    if (e.position >= it->second.first_position &&
        e.position <= it->second.last_position &&
        e.stream_id == it->second.stream_id) {
      out.push_back(&e);
    }
  }
  return out;
}

std::map<std::string, int64_t> StoredEvents::Versions() const {
  std::map<std::string, int64_t> out;
  for (const StoredEvent& e : events) {
    int64_t& v = out[e.stream_id];
    v = std::max(v, e.stream_version);
  }
  return out;
}

absl::StatusOr<StoredEvents> ReadStoredEvents(const std::string& store_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db,
                   sqlite::Database::Open(store_path));
  StoredEvents out;
  // The request a command's events came from is their causation id (the
  // store keeps its own request key scoped to the caller, which a test
  // cannot name).
  ASSIGN_OR_RETURN(
      sqlite::Statement rows,
      db->Prepare(
          "SELECT position, event_id, stream_id, stream_version, "
          "event_type, payload, causation_id FROM events ORDER BY position"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows.Step());
    if (!row) break;
    StoredEvent e;
    e.position = rows.ColumnInt(0);
    e.event_id = rows.ColumnText(1);
    e.stream_id = rows.ColumnText(2);
    e.stream_version = rows.ColumnInt(3);
    e.event_type = rows.ColumnText(4);
    e.payload = rows.ColumnBlob(5);
    const std::string causation_id = rows.ColumnText(6);
    auto [it, first] = out.requests.try_emplace(causation_id);
    StoredRequest& r = it->second;
    if (first) {
      r.stream_id = e.stream_id;
      r.first_version = e.stream_version;
      r.first_position = e.position;
    }
    r.last_version = e.stream_version;
    r.last_position = e.position;
    out.events.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<TopicTally> CheckTopicAgainstStore(
    const StoredEvents& stored, const std::vector<KafkaRecord>& records) {
  std::map<std::string, const StoredEvent*> by_id;
  for (const StoredEvent& e : stored.events) by_id.emplace(e.event_id, &e);
  TopicTally tally;
  std::set<std::string> seen;
  for (const KafkaRecord& r : records) {
    ++tally.records;
    auto id = r.headers.find("ce_id");
    if (id == r.headers.end()) {
      return absl::DataLossError(
          absl::StrCat("record at offset ", r.offset, " has no ce_id"));
    }
    auto event = by_id.find(id->second);
    if (event == by_id.end()) {
      return absl::DataLossError(absl::StrCat(
          "event ", id->second, " is on the topic, not in the store"));
    }
    if (r.key != event->second->stream_id) {
      return absl::DataLossError(
          absl::StrCat("event ", id->second, " has key '", r.key,
                       "', its stream is ", event->second->stream_id));
    }
    if (!seen.insert(id->second).second) ++tally.resent;
  }
  for (const StoredEvent& e : stored.events) {
    if (!seen.contains(e.event_id)) {
      return absl::DataLossError(absl::StrCat("stored event ", e.event_id, " (",
                                              e.event_type, " of ", e.stream_id,
                                              ") is not on the topic"));
    }
  }
  return tally;
}

absl::StatusOr<TopicTally> ReadTopicAndCheckAgainstStore(
    const std::string& bootstrap, const std::string& topic,
    const StoredEvents& stored) {
  return CheckTopicAgainstStore(
      stored,
      ReadTopic(bootstrap, topic, stored.events.size(), absl::Seconds(60)));
}

}  // namespace pmo::testing
