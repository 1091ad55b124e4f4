#include "tests/support/stored_events.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/base/status_macros.h"
#include "libs/sqlite/sqlite.h"

namespace pmo::testing {

std::vector<const StoredEvent*> StoredEvents::EventsOf(const std::string& request_id) const {
  std::vector<const StoredEvent*> out;
  auto it = requests.find(request_id);
  if (it == requests.end()) return out;
  for (const StoredEvent& e : events) {
    if (e.position >= it->second.first_position && e.position <= it->second.last_position &&
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
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Database> db, sqlite::Database::Open(store_path));
  StoredEvents out;
  ASSIGN_OR_RETURN(sqlite::Statement rows,
                   db->Prepare("SELECT position, event_id, stream_id, stream_version, "
                               "event_type, payload FROM events ORDER BY position"));
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
    out.events.push_back(std::move(e));
  }
  ASSIGN_OR_RETURN(sqlite::Statement requests,
                   db->Prepare("SELECT request_id, stream_id, first_version, last_version, "
                               "first_position, last_position FROM append_requests"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, requests.Step());
    if (!row) break;
    StoredRequest r;
    r.stream_id = requests.ColumnText(1);
    r.first_version = requests.ColumnInt(2);
    r.last_version = requests.ColumnInt(3);
    r.first_position = requests.ColumnInt(4);
    r.last_position = requests.ColumnInt(5);
    out.requests.emplace(requests.ColumnText(0), std::move(r));
  }
  return out;
}

absl::StatusOr<TopicTally> CheckTopicAgainstStore(const StoredEvents& stored,
                                                  const std::vector<KafkaRecord>& records) {
  std::map<std::string, const StoredEvent*> by_id;
  for (const StoredEvent& e : stored.events) by_id.emplace(e.event_id, &e);
  TopicTally tally;
  std::set<std::string> seen;
  for (const KafkaRecord& r : records) {
    ++tally.records;
    auto id = r.headers.find("ce_id");
    if (id == r.headers.end()) {
      return absl::DataLossError(absl::StrCat("record at offset ", r.offset, " has no ce_id"));
    }
    auto event = by_id.find(id->second);
    if (event == by_id.end()) {
      return absl::DataLossError(absl::StrCat("event ", id->second, " is on the topic, not in the store"));
    }
    if (r.key != event->second->stream_id) {
      return absl::DataLossError(absl::StrCat("event ", id->second, " has key '", r.key,
                                              "', its stream is ", event->second->stream_id));
    }
    if (!seen.insert(id->second).second) ++tally.resent;
  }
  for (const StoredEvent& e : stored.events) {
    if (!seen.contains(e.event_id)) {
      return absl::DataLossError(absl::StrCat("stored event ", e.event_id, " (", e.event_type,
                                              " of ", e.stream_id, ") is not on the topic"));
    }
  }
  return tally;
}

absl::StatusOr<TopicTally> ReadTopicAndCheckAgainstStore(const std::string& bootstrap,
                                                         const std::string& topic,
                                                         const StoredEvents& stored) {
  return CheckTopicAgainstStore(stored,
                                ReadTopic(bootstrap, topic, stored.events.size(), absl::Seconds(60)));
}

}  // namespace pmo::testing
