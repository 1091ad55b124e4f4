#include "libs/schedule/critical_path.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "libs/base/check.h"
#include "libs/base/errors.h"
#include "libs/base/status_macros.h"

namespace pmo::schedule {
namespace {

// A huge bad input lists the first violations and counts the rest (see
// FieldViolations).
constexpr int kMaxListedViolations = 20;

bool InRange(int64_t value, int64_t low, int64_t high) {
  return low <= value && value <= high;
}

// An out-edge of the network in compressed sparse row form.
struct Link {
  int64_t lag;
  int32_t successor;
  DependencyType type;
};

// A dependency measures from one end of its predecessor (FS, FF: the finish)
// and constrains one end of its successor (FF, SF: the finish).
bool FromFinish(DependencyType type) {
  return type == DependencyType::kFinishToStart ||
         type == DependencyType::kFinishToFinish;
}
bool ToFinish(DependencyType type) {
  return type == DependencyType::kFinishToFinish ||
         type == DependencyType::kStartToFinish;
}

// How far the successor's early dates are beyond what the link requires
// (>= 0 after the forward pass); 0 means the link drives the successor.
int64_t LinkSlack(DependencyType type, int64_t lag, int64_t pred_es,
                  int64_t pred_ef, int64_t succ_es, int64_t succ_ef) {
  return (ToFinish(type) ? succ_ef : succ_es) -
         ((FromFinish(type) ? pred_ef : pred_es) + lag);
}

// One activity's numbers during the passes, packed so that visiting a
// successor costs one cache line, not one per array.
struct Node {
  int64_t duration;
  int64_t es;  // max(0, start constraint) until the forward pass raises it
  int64_t lf;
  int64_t free_float;
};

// The validated network by index.
struct Network {
  std::vector<Node> nodes;
  std::vector<int32_t> in_degree;
  // Dependency j links predecessor[j] -> successor[j] (input order).
  std::vector<int32_t> predecessor;
  std::vector<int32_t> successor;
  // out[out_begin[p] .. out_begin[p + 1]) are p's links, in input order.
  std::vector<int32_t> out_begin;
  std::vector<Link> out;
};

absl::StatusOr<Network> BuildNetwork(std::span<const Activity> activities,
                                     std::span<const Dependency> dependencies) {
  constexpr size_t kMaxCount = std::numeric_limits<int32_t>::max();
  if (activities.size() > kMaxCount || dependencies.size() > kMaxCount) {
    return absl::InvalidArgumentError(
        absl::StrCat("a network holds at most ", kMaxCount,
                     " activities and as many dependencies"));
  }
  const int32_t n = static_cast<int32_t>(activities.size());
  const int32_t m = static_cast<int32_t>(dependencies.size());

  FieldViolations violations(kMaxListedViolations);
  Network net;
  net.nodes.resize(n);
  // Keys are copies: comparing a probed key then reads the slot just loaded
  // instead of a random activity elsewhere in memory (ids of up to 15
  // characters stay inside the std::string).
  absl::flat_hash_map<std::string, int32_t> index_of;
  index_of.reserve(n);
  for (int32_t i = 0; i < n; ++i) {
    const Activity& a = activities[i];
    if (a.id.empty()) {
      violations.Add(absl::StrCat("activities[", i, "].id"),
                     "must not be empty");
    } else if (auto [it, inserted] = index_of.try_emplace(a.id, i); !inserted) {
      violations.Add(absl::StrCat("activities[", i, "].id"),
                     absl::StrCat("duplicate activity id \"", a.id,
                                  "\" (also activities[", it->second, "])"));
    }
    if (!InRange(a.duration_days, 0, kMaxDays)) {
      violations.Add(absl::StrCat("activities[", i, "].duration_days"),
                     absl::StrCat("must be between 0 and ", kMaxDays, ", got ",
                                  a.duration_days));
    }
    if (a.start_no_earlier_than.has_value() &&
        !InRange(*a.start_no_earlier_than, 0, kMaxDays)) {
      violations.Add(absl::StrCat("activities[", i, "].start_no_earlier_than"),
                     absl::StrCat("must be between 0 and ", kMaxDays, ", got ",
                                  *a.start_no_earlier_than));
    }
    net.nodes[i].duration = a.duration_days;
    net.nodes[i].es = std::max<int64_t>(0, a.start_no_earlier_than.value_or(0));
  }

  net.predecessor.resize(m);
  net.successor.resize(m);
  auto resolve = [&](absl::string_view id, int32_t j,
                     absl::string_view field) -> int32_t {
    auto it = index_of.find(id);
    if (it != index_of.end()) return it->second;
    violations.Add(absl::StrCat("dependencies[", j, "].", field),
                   absl::StrCat("unknown activity id \"", id, "\""));
    return -1;
  };
  for (int32_t j = 0; j < m; ++j) {
    const Dependency& d = dependencies[j];
    const int32_t p = resolve(d.predecessor_id, j, "predecessor_id");
    const int32_t s = resolve(d.successor_id, j, "successor_id");
    if (p >= 0 && p == s) {
      violations.Add(absl::StrCat("dependencies[", j, "].successor_id"),
                     absl::StrCat("activity \"", d.successor_id,
                                  "\" cannot depend on itself"));
    }
    if (static_cast<uint8_t>(d.type) >
        static_cast<uint8_t>(DependencyType::kStartToFinish)) {
      violations.Add(
          absl::StrCat("dependencies[", j, "].type"),
          absl::StrCat("unknown dependency type ", static_cast<int>(d.type)));
    }
    if (!InRange(d.lag_days, -kMaxDays, kMaxDays)) {
      violations.Add(absl::StrCat("dependencies[", j, "].lag_days"),
                     absl::StrCat("must be between ", -kMaxDays, " and ",
                                  kMaxDays, ", got ", d.lag_days));
    }
    net.predecessor[j] = p;
    net.successor[j] = s;
  }
  if (absl::Status status = violations.ToStatus(); !status.ok()) return status;

  // Counting sort of the links by predecessor. Filling from the last
  // dependency backwards into each group's end keeps input order within a
  // group and leaves out_begin[p] at the group's start.
  net.out_begin.assign(static_cast<size_t>(n) + 1, 0);
  net.in_degree.assign(n, 0);
  for (int32_t j = 0; j < m; ++j) {
    ++net.out_begin[net.predecessor[j]];
    ++net.in_degree[net.successor[j]];
  }
  int32_t end = 0;
  for (int32_t i = 0; i < n; ++i) {
    end += net.out_begin[i];
    net.out_begin[i] = end;
  }
  net.out_begin[n] = m;
  net.out.resize(m);
  for (int32_t j = m - 1; j >= 0; --j) {
    const Dependency& d = dependencies[j];
    net.out[--net.out_begin[net.predecessor[j]]] = {d.lag_days,
                                                    net.successor[j], d.type};
  }
  return net;
}

// FAILED_PRECONDITION naming one cycle among the activities Kahn's algorithm
// could not order (those with in_degree > 0). Each of them has a predecessor
// that is also unordered, so walking predecessors must come back to an
// activity already seen; the walk from there is a cycle.
absl::Status CycleError(std::span<const Activity> activities,
                        const Network& net) {
  const int32_t n = static_cast<int32_t>(activities.size());
  const std::vector<int32_t>& in_degree = net.in_degree;
  std::vector<int32_t> unordered_predecessor(n, -1);
  for (int32_t p = 0; p < n; ++p) {
    if (in_degree[p] == 0) continue;
    for (int32_t k = net.out_begin[p]; k < net.out_begin[p + 1]; ++k) {
      const int32_t s = net.out[k].successor;
      if (in_degree[s] > 0 && unordered_predecessor[s] < 0) {
        unordered_predecessor[s] = p;
      }
    }
  }
  int32_t start = 0;
  while (in_degree[start] == 0) ++start;
  std::vector<int32_t> seen_at(n, -1);
  std::vector<int32_t> walk;  // each element is a predecessor of the one before
  for (int32_t v = start; seen_at[v] < 0; v = unordered_predecessor[v]) {
    seen_at[v] = static_cast<int32_t>(walk.size());
    walk.push_back(v);
  }
  // The walk closed on unordered_predecessor[walk.back()]; the cycle is the
  // walk from there, reversed into dependency direction, and rotated to begin
  // at its first activity in input order so the message is stable.
  const int32_t closing = unordered_predecessor[walk.back()];
  std::vector<int32_t> cycle(walk.begin() + seen_at[closing], walk.end());
  std::reverse(cycle.begin(), cycle.end());
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()),
              cycle.end());
  cycle.push_back(cycle.front());
  std::string path =
      absl::StrJoin(cycle, " -> ", [&](std::string* out, int32_t i) {
        absl::StrAppend(out, activities[i].id);
      });
  return RuleViolationError(
      "SCHEDULE_CYCLE", activities[cycle.front()].id,
      absl::StrCat("the dependencies form a cycle: ", path));
}

}  // namespace

absl::StatusOr<ProjectSchedule> ComputeCriticalPath(
    std::span<const Activity> activities,
    std::span<const Dependency> dependencies) {
  ASSIGN_OR_RETURN(Network net, BuildNetwork(activities, dependencies));
  const int32_t n = static_cast<int32_t>(activities.size());
  const int32_t m = static_cast<int32_t>(dependencies.size());
  std::vector<Node>& nodes = net.nodes;

  // Kahn's algorithm fused with the forward pass: an activity enters `order`
  // once all its predecessors have pushed their requirements into its ES.
  std::vector<int32_t> order(n);
  int32_t head = 0;
  int32_t tail = 0;
  for (int32_t i = 0; i < n; ++i) {
    if (net.in_degree[i] == 0) order[tail++] = i;
  }
  while (head < tail) {
    const int32_t p = order[head++];
    const int64_t p_es = nodes[p].es;
    const int64_t p_ef = p_es + nodes[p].duration;
    for (int32_t k = net.out_begin[p]; k < net.out_begin[p + 1]; ++k) {
      const Link& link = net.out[k];
      Node& s = nodes[link.successor];
      // The requirement on the constrained end, moved to the start.
      const int64_t required = (FromFinish(link.type) ? p_ef : p_es) +
                               link.lag -
                               (ToFinish(link.type) ? s.duration : 0);
      s.es = std::max(s.es, required);
      if (--net.in_degree[link.successor] == 0) order[tail++] = link.successor;
    }
  }
  if (tail < n) return CycleError(activities, net);

  ProjectSchedule schedule;
  for (const Node& node : nodes) {
    schedule.project_finish =
        std::max(schedule.project_finish, node.es + node.duration);
  }
  const int64_t finish = schedule.project_finish;

  // Backward pass, with free float from the same links.
  for (int32_t k = n - 1; k >= 0; --k) {
    Node& p = nodes[order[k]];
    const int64_t p_ef = p.es + p.duration;
    int64_t lf = finish;
    int64_t free_float = finish - p_ef;
    for (int32_t x = net.out_begin[order[k]]; x < net.out_begin[order[k] + 1];
         ++x) {
      const Link& link = net.out[x];
      const Node& s = nodes[link.successor];
      // The late date of the constrained end, less the lag, bounds the
      // measured end; moved to the finish.
      const int64_t bound = (ToFinish(link.type) ? s.lf : s.lf - s.duration) -
                            link.lag + (FromFinish(link.type) ? 0 : p.duration);
      lf = std::min(lf, bound);
      free_float = std::min(
          free_float,
          LinkSlack(link.type, link.lag, p.es, p_ef, s.es, s.es + s.duration));
    }
    p.lf = lf;
    p.free_float = free_float;
  }

  schedule.activities.resize(n);
  std::vector<bool> critical(n);
  for (int32_t i = 0; i < n; ++i) {
    const Node& node = nodes[i];
    ScheduledActivity& a = schedule.activities[i];
    a.early_start = node.es;
    a.early_finish = node.es + node.duration;
    a.late_finish = node.lf;
    a.late_start = node.lf - node.duration;
    a.total_float = a.late_start - a.early_start;
    a.free_float = node.free_float;
    a.critical = a.total_float == 0;
    critical[i] = a.critical;
    if (a.critical) schedule.critical_activities.push_back(i);
  }
  if (n == 0) return schedule;

  // One critical path, traced back from its end over driving links (slack
  // 0) between critical activities. Walking back always reaches a start: a
  // critical activity that no link drives starts at day 0 or at its start
  // constraint. Its end drives no other critical activity; one exists, since
  // the critical activity finishing at the project finish that comes last in
  // topological order drives none.
  std::vector<int32_t> driver(n, -1);
  std::vector<bool> drives_critical(n, false);
  for (int32_t j = 0; j < m; ++j) {
    const int32_t p = net.predecessor[j];
    const int32_t s = net.successor[j];
    if (!critical[s] || !critical[p]) continue;
    const Dependency& d = dependencies[j];
    if (LinkSlack(d.type, d.lag_days, nodes[p].es,
                  nodes[p].es + nodes[p].duration, nodes[s].es,
                  nodes[s].es + nodes[s].duration) == 0) {
      if (driver[s] < 0) driver[s] = p;
      drives_critical[p] = true;
    }
  }
  int32_t last = 0;
  while (last < n &&
         (!critical[last] || schedule.activities[last].early_finish != finish ||
          drives_critical[last])) {
    ++last;
  }
  PMO_CHECK(last < n, "a critical path must end at the project finish");
  for (int32_t v = last; v >= 0; v = driver[v]) {
    schedule.critical_path.push_back(v);
  }
  std::reverse(schedule.critical_path.begin(), schedule.critical_path.end());
  return schedule;
}

}  // namespace pmo::schedule
