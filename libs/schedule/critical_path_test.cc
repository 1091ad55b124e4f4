#include "libs/schedule/critical_path.h"

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"
#include "libs/base/testing/status_matchers.h"

namespace pmo::schedule {

void PrintTo(const ScheduledActivity& a, std::ostream* os) {
  *os << "{ES " << a.early_start << ", EF " << a.early_finish << ", LS "
      << a.late_start << ", LF " << a.late_finish << ", TF " << a.total_float
      << ", FF " << a.free_float << (a.critical ? ", critical}" : "}");
}

namespace {

using ::pmo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr DependencyType kFS = DependencyType::kFinishToStart;
constexpr DependencyType kSS = DependencyType::kStartToStart;
constexpr DependencyType kFF = DependencyType::kFinishToFinish;
constexpr DependencyType kSF = DependencyType::kStartToFinish;

// Expected dates; critical is total float == 0 by definition.
ScheduledActivity Dates(int64_t es, int64_t ef, int64_t ls, int64_t lf,
                        int64_t total_float, int64_t free_float) {
  return {es, ef, ls, lf, total_float, free_float, total_float == 0};
}

std::vector<std::string> Ids(const std::vector<int>& indices,
                             const std::vector<Activity>& activities) {
  std::vector<std::string> ids;
  ids.reserve(indices.size());
  for (int i : indices) ids.push_back(activities[i].id);
  return ids;
}

// Hillier & Lieberman, "Introduction to Operations Research" (chapter
// "Project Management with PERT/CPM"): the Reliable Construction Co. project,
// durations in weeks. The book gives a project duration of 44 weeks, the
// critical path START-A-B-C-E-F-J-L-N-FINISH, the six paths' lengths
// (A-B-C-D-G-H-M 40, A-B-C-E-H-M 31, A-B-C-E-F-J-K-N 43, A-B-C-E-F-J-L-N 44,
// A-B-C-I-J-K-N 41, A-B-C-I-J-L-N 42) and the slacks D 4, G 4, H 4, I 2, K 1,
// M 4, all others 0. Free float is not in the book; by hand, as the slack to
// the earliest successor start (or to week 44 for M):
//   D: G.ES 22 - D.EF 22 = 0   G: H.ES 29 - 29 = 0   H: M.ES 38 - 38 = 0
//   M: 44 - 40 = 4             I: J.ES 25 - 23 = 2   K: N.ES 38 - 37 = 1
//   E: min(F.ES 20, H.ES 29) - 20 = 0
TEST(CriticalPathTest, HillierLiebermanReliableConstruction) {
  const std::vector<Activity> activities = {
      {"A", 2},   // excavate
      {"B", 4},   // lay the foundation
      {"C", 10},  // put up the rough wall
      {"D", 6},   // put up the roof
      {"E", 4},   // install the exterior plumbing
      {"F", 5},   // install the interior plumbing
      {"G", 7},   // put up the exterior siding
      {"H", 9},   // do the exterior painting
      {"I", 7},   // do the electrical work
      {"J", 8},   // put up the wallboard
      {"K", 4},   // install the flooring
      {"L", 5},   // do the interior painting
      {"M", 2},   // install the exterior fixtures
      {"N", 6},   // install the interior fixtures
  };
  const std::vector<Dependency> dependencies = {
      {"A", "B"}, {"B", "C"}, {"C", "D"}, {"C", "E"}, {"E", "F"}, {"D", "G"},
      {"E", "H"}, {"G", "H"}, {"C", "I"}, {"F", "J"}, {"I", "J"}, {"J", "K"},
      {"J", "L"}, {"H", "M"}, {"K", "N"}, {"L", "N"},
  };

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 44);
  EXPECT_THAT(s.activities, ElementsAre(Dates(0, 2, 0, 2, 0, 0),        // A
                                        Dates(2, 6, 2, 6, 0, 0),        // B
                                        Dates(6, 16, 6, 16, 0, 0),      // C
                                        Dates(16, 22, 20, 26, 4, 0),    // D
                                        Dates(16, 20, 16, 20, 0, 0),    // E
                                        Dates(20, 25, 20, 25, 0, 0),    // F
                                        Dates(22, 29, 26, 33, 4, 0),    // G
                                        Dates(29, 38, 33, 42, 4, 0),    // H
                                        Dates(16, 23, 18, 25, 2, 2),    // I
                                        Dates(25, 33, 25, 33, 0, 0),    // J
                                        Dates(33, 37, 34, 38, 1, 1),    // K
                                        Dates(33, 38, 33, 38, 0, 0),    // L
                                        Dates(38, 40, 42, 44, 4, 4),    // M
                                        Dates(38, 44, 38, 44, 0, 0)));  // N
  EXPECT_THAT(Ids(s.critical_activities, activities),
              ElementsAre("A", "B", "C", "E", "F", "J", "L", "N"));
  EXPECT_THAT(Ids(s.critical_path, activities),
              ElementsAre("A", "B", "C", "E", "F", "J", "L", "N"));
}

// Constructed; free float differs from total float along a chain.
//   S(0) -> A(3) -> F(0);  S -> B(2) -> M(0) -> F   (all FS, lag 0)
// Forward:  S 0-0, A 0-3, B 0-2, M 2-2, F max(3, 2) = 3-3; finish 3.
// Backward: F 3-3, M LF 3 LS 3, B LF = M.LS 3 LS 1, A LF 3 LS 0,
//           S LF = min(A.LS 0, B.LS 1) = 0.
// Free:     S min(0-0, 0-0) = 0, A F.ES 3 - 3 = 0, B M.ES 2 - 2 = 0,
//           M F.ES 3 - 2 = 1, F 3 - 3 = 0.
// B has total float 1 but free float 0: delaying B delays M (not F).
TEST(CriticalPathTest, MilestonesAndFreeFloat) {
  const std::vector<Activity> activities = {
      {"S", 0}, {"A", 3}, {"B", 2}, {"M", 0}, {"F", 0}};
  const std::vector<Dependency> dependencies = {
      {"S", "A"}, {"S", "B"}, {"A", "F"}, {"B", "M"}, {"M", "F"}};

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 3);
  EXPECT_THAT(s.activities, ElementsAre(Dates(0, 0, 0, 0, 0, 0),    // S
                                        Dates(0, 3, 0, 3, 0, 0),    // A
                                        Dates(0, 2, 1, 3, 1, 0),    // B
                                        Dates(2, 2, 3, 3, 1, 1),    // M
                                        Dates(3, 3, 3, 3, 0, 0)));  // F
  EXPECT_THAT(Ids(s.critical_path, activities), ElementsAre("S", "A", "F"));
}

// Constructed. A(3) -FS+2-> B(4):
//   B.ES = A.EF 3 + 2 = 5, B.EF 9; A.LF = B.LS 5 - 2 = 3.
TEST(CriticalPathTest, FinishToStartLag) {
  const std::vector<Activity> activities = {{"A", 3}, {"B", 4}};
  const std::vector<Dependency> dependencies = {{"A", "B", kFS, 2}};

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 9);
  EXPECT_THAT(s.activities,
              ElementsAre(Dates(0, 3, 0, 3, 0, 0), Dates(5, 9, 5, 9, 0, 0)));
  EXPECT_THAT(Ids(s.critical_path, activities), ElementsAre("A", "B"));
}

// Constructed. A(6) -SS+2-> B(3):
//   B.ES = A.ES 0 + 2 = 2, B.EF 5; finish = max(6, 5) = 6.
//   B: LF 6, LS 3, total float 1, free float 6 - 5 = 1.
//   A: the SS bound is A.LS <= B.LS 3 - 2 = 1, i.e. LF <= 7, but the project
//      finish 6 bounds it first: LF 6, LS 0, critical.
//      Free: min(6 - 6, B.ES 2 - (A.ES 0 + 2)) = 0.
TEST(CriticalPathTest, StartToStartLagAndProjectFinishBound) {
  const std::vector<Activity> activities = {{"A", 6}, {"B", 3}};
  const std::vector<Dependency> dependencies = {{"A", "B", kSS, 2}};

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 6);
  EXPECT_THAT(s.activities,
              ElementsAre(Dates(0, 6, 0, 6, 0, 0), Dates(2, 5, 3, 6, 1, 1)));
  EXPECT_THAT(Ids(s.critical_path, activities), ElementsAre("A"));
}

// Constructed. A(4) -FF+3-> B(2):
//   B.EF >= A.EF 4 + 3 = 7, so B.ES = 5; finish 7.
//   A.LF = B.LF 7 - 3 = 4. Both critical.
TEST(CriticalPathTest, FinishToFinishLag) {
  const std::vector<Activity> activities = {{"A", 4}, {"B", 2}};
  const std::vector<Dependency> dependencies = {{"A", "B", kFF, 3}};

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 7);
  EXPECT_THAT(s.activities,
              ElementsAre(Dates(0, 4, 0, 4, 0, 0), Dates(5, 7, 5, 7, 0, 0)));
  EXPECT_THAT(Ids(s.critical_path, activities), ElementsAre("A", "B"));
}

// Constructed. A(5) -SF+6-> B(3):
//   B.EF >= A.ES 0 + 6 = 6, so B.ES = 3; finish = max(5, 6) = 6.
//   A: A.LS <= B.LF 6 - 6 = 0, so LF 5 (the project finish 6 is looser).
//   Free of A: min(6 - 5, B.EF 6 - (A.ES 0 + 6)) = 0.
TEST(CriticalPathTest, StartToFinishLag) {
  const std::vector<Activity> activities = {{"A", 5}, {"B", 3}};
  const std::vector<Dependency> dependencies = {{"A", "B", kSF, 6}};

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 6);
  EXPECT_THAT(s.activities,
              ElementsAre(Dates(0, 5, 0, 5, 0, 0), Dates(3, 6, 3, 6, 0, 0)));
  EXPECT_THAT(Ids(s.critical_path, activities), ElementsAre("A", "B"));
}

// Constructed; negative lags (leads) of three types.
//   A(5); A -FS-2-> B(4); A -SS-3-> C(2); A -FF-2-> D(1)
// Forward:  A 0-5; B 5 - 2 = 3, EF 7; C max(0, 0 - 3) = 0 (not before the
//           project start), EF 2; D.EF >= 5 - 2 = 3, so D 2-3. Finish 7.
// Backward: B LF 7 LS 3; C LF 7 LS 5; D LF 7 LS 6;
//           A.LF = min(7, FS: B.LS 3 + 2 = 5, SS: C.LS 5 + 3 + 5 = 13,
//                      FF: D.LF 7 + 2 = 9) = 5, LS 0.
// Free:     A min(7 - 5, FS: 3 - (5 - 2) = 0, SS: 0 - (0 - 3) = 3,
//                 FF: 3 - (5 - 2) = 0) = 0; B 0; C 7 - 2 = 5; D 7 - 3 = 4.
TEST(CriticalPathTest, NegativeLags) {
  const std::vector<Activity> activities = {
      {"A", 5}, {"B", 4}, {"C", 2}, {"D", 1}};
  const std::vector<Dependency> dependencies = {
      {"A", "B", kFS, -2}, {"A", "C", kSS, -3}, {"A", "D", kFF, -2}};

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 7);
  EXPECT_THAT(s.activities, ElementsAre(Dates(0, 5, 0, 5, 0, 0),    // A
                                        Dates(3, 7, 3, 7, 0, 0),    // B
                                        Dates(0, 2, 5, 7, 5, 5),    // C
                                        Dates(2, 3, 6, 7, 4, 4)));  // D
  EXPECT_THAT(Ids(s.critical_path, activities), ElementsAre("A", "B"));
}

// Constructed; the common SS + FF pair between the same two activities.
//   A(6) -SS+2-> B(5), A -FF+3-> B
// Forward:  B.ES >= 0 + 2 = 2 and B.EF >= 6 + 3 = 9 (ES >= 4): B 4-9.
// Backward: B LF 9 LS 4; A.LF = min(9, SS: 4 - 2 + 6 = 8, FF: 9 - 3 = 6) = 6.
// Free of A: min(9 - 6, SS: 4 - 2 = 2, FF: 9 - 9 = 0) = 0. The FF link
// drives B, so it carries the critical path.
TEST(CriticalPathTest, StartToStartAndFinishToFinishBetweenOnePair) {
  const std::vector<Activity> activities = {{"A", 6}, {"B", 5}};
  const std::vector<Dependency> dependencies = {{"A", "B", kSS, 2},
                                                {"A", "B", kFF, 3}};

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 9);
  EXPECT_THAT(s.activities,
              ElementsAre(Dates(0, 6, 0, 6, 0, 0), Dates(4, 9, 4, 9, 0, 0)));
  EXPECT_THAT(Ids(s.critical_path, activities), ElementsAre("A", "B"));
}

// Constructed; start-no-earlier-than constraints.
//   A(4); A -FS-> B(3), B not before day 5; C(2) not before day 6;
//   B -FS-> D(1); C -FS-> D
// Forward:  A 0-4; B max(4, 5) = 5-8; C 6-8; D max(8, 8) = 8-9. Finish 9.
// Backward: D 8-9; C LF 8 LS 6; B LF 8 LS 5; A LF = B.LS 5, LS 1.
// Free:     A B.ES 5 - 4 = 1; B 8 - 8 = 0; C 0; D 0.
// B and C are both critical, held by their constraints; the path traced
// back from D takes the first driving dependency, B -> D.
TEST(CriticalPathTest, StartNoEarlierThan) {
  const std::vector<Activity> activities = {
      {"A", 4}, {"B", 3, 5}, {"C", 2, 6}, {"D", 1}};
  const std::vector<Dependency> dependencies = {
      {"A", "B"}, {"B", "D"}, {"C", "D"}};

  ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                       ComputeCriticalPath(activities, dependencies));

  EXPECT_EQ(s.project_finish, 9);
  EXPECT_THAT(s.activities, ElementsAre(Dates(0, 4, 1, 5, 1, 1),    // A
                                        Dates(5, 8, 5, 8, 0, 0),    // B
                                        Dates(6, 8, 6, 8, 0, 0),    // C
                                        Dates(8, 9, 8, 9, 0, 0)));  // D
  EXPECT_THAT(Ids(s.critical_activities, activities),
              ElementsAre("B", "C", "D"));
  EXPECT_THAT(Ids(s.critical_path, activities), ElementsAre("B", "D"));
}

TEST(CriticalPathTest, EmptyNetwork) {
  ASSERT_OK_AND_ASSIGN(ProjectSchedule s, ComputeCriticalPath({}, {}));
  EXPECT_EQ(s.project_finish, 0);
  EXPECT_THAT(s.activities, IsEmpty());
  EXPECT_THAT(s.critical_activities, IsEmpty());
  EXPECT_THAT(s.critical_path, IsEmpty());
}

// D feeds the cycle and E hangs off it, so the cycle is found among more
// unordered activities than its own.
TEST(CriticalPathTest, CycleIsNamedInOrder) {
  const std::vector<Activity> activities = {
      {"D", 1}, {"A", 1}, {"B", 1}, {"C", 1}, {"E", 1}};
  const std::vector<Dependency> dependencies = {
      {"D", "A"}, {"C", "E"}, {"B", "C", kSS}, {"A", "B"}, {"C", "A", kFF}};

  absl::StatusOr<ProjectSchedule> s =
      ComputeCriticalPath(activities, dependencies);

  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition,
                          HasSubstr("A -> B -> C -> A")));
  RuleViolation violation;
  ASSERT_TRUE(RuleViolationOf(s.status(), &violation));
  EXPECT_EQ(violation.rule, "SCHEDULE_CYCLE");
  EXPECT_EQ(violation.subject, "A");
}

TEST(CriticalPathTest, TwoActivityCycle) {
  const std::vector<Activity> activities = {{"X", 1}, {"Y", 1}};
  const std::vector<Dependency> dependencies = {{"Y", "X"}, {"X", "Y"}};

  EXPECT_THAT(ComputeCriticalPath(activities, dependencies),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("X -> Y -> X")));
}

std::vector<FieldViolation> ViolationsOf(
    const std::vector<Activity>& activities,
    const std::vector<Dependency>& dependencies) {
  absl::StatusOr<ProjectSchedule> s =
      ComputeCriticalPath(activities, dependencies);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  return FieldViolationsOf(s.status());
}

MATCHER_P2(Violation, field, description_matcher, "") {
  return arg.field == field &&
         ::testing::ExplainMatchResult(description_matcher, arg.description,
                                       result_listener);
}

TEST(CriticalPathValidationTest, DuplicateId) {
  EXPECT_THAT(ViolationsOf({{"A", 1}, {"B", 1}, {"A", 2}}, {}),
              ElementsAre(Violation("activities[2].id",
                                    HasSubstr("duplicate activity id \"A\" "
                                              "(also activities[0])"))));
}

TEST(CriticalPathValidationTest, EmptyId) {
  EXPECT_THAT(ViolationsOf({{"", 1}}, {}),
              ElementsAre(Violation("activities[0].id",
                                    HasSubstr("must not be empty"))));
}

TEST(CriticalPathValidationTest, UnknownPredecessorAndSuccessor) {
  const std::vector<Activity> activities = {{"A", 1}, {"B", 1}};
  EXPECT_THAT(ViolationsOf(
                  activities,
                  {{"A", "B"}, {"A", "B"}, {"A", "B"}, {"Z", "B"}, {"A", "Q"}}),
              ElementsAre(Violation("dependencies[3].predecessor_id",
                                    HasSubstr("unknown activity id \"Z\"")),
                          Violation("dependencies[4].successor_id",
                                    HasSubstr("unknown activity id \"Q\""))));
}

TEST(CriticalPathValidationTest, NegativeDuration) {
  EXPECT_THAT(ViolationsOf({{"A", 1}, {"B", -2}}, {}),
              ElementsAre(Violation("activities[1].duration_days",
                                    HasSubstr("got -2"))));
}

TEST(CriticalPathValidationTest, SelfDependency) {
  EXPECT_THAT(
      ViolationsOf({{"A", 1}, {"B", 1}}, {{"A", "B"}, {"B", "B", kSS}}),
      ElementsAre(Violation("dependencies[1].successor_id",
                            HasSubstr("\"B\" cannot depend on itself"))));
}

TEST(CriticalPathValidationTest, OutOfRangeNumbersAndType) {
  EXPECT_THAT(
      ViolationsOf({{"A", kMaxDays + 1}, {"B", 1, -1}},
                   {{"A", "B", kFS, -kMaxDays - 1},
                    {"A", "B", static_cast<DependencyType>(7)}}),
      ElementsAre(
          Violation("activities[0].duration_days", HasSubstr("got 1000001")),
          Violation("activities[1].start_no_earlier_than", HasSubstr("got -1")),
          Violation("dependencies[0].lag_days", HasSubstr("got -1000001")),
          Violation("dependencies[1].type",
                    HasSubstr("unknown dependency type 7"))));
}

TEST(CriticalPathValidationTest, ReportsEveryViolationAtOnce) {
  absl::StatusOr<ProjectSchedule> s =
      ComputeCriticalPath(std::vector<Activity>{{"A", -1}, {"A", 1}},
                          std::vector<Dependency>{{"A", "X"}});
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("activities[0].duration_days")));
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("activities[1].id")));
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("dependencies[0].successor_id")));
}

TEST(CriticalPathValidationTest, ListsTheFirstTwentyViolations) {
  std::vector<Activity> activities;
  activities.reserve(25);
  for (int i = 0; i < 25; ++i) {
    activities.push_back({"A" + std::to_string(i), -1});
  }
  std::vector<FieldViolation> violations = ViolationsOf(activities, {});
  ASSERT_EQ(violations.size(), 21u);
  EXPECT_EQ(violations[19].field, "activities[19].duration_days");
  EXPECT_THAT(violations[20],
              Violation("", "and 5 more violations not listed"));
}

// Property check against a deliberately naive reference: the same equations
// (transcribed from the header's table, one switch per type) relaxed over the
// dependency list until nothing changes, with no topological order.
struct Reference {
  std::vector<int64_t> es, ef, ls, lf, free_float;
  int64_t finish = 0;
};

Reference NaiveSchedule(const std::vector<Activity>& activities,
                        const std::vector<Dependency>& dependencies,
                        const std::vector<int>& pred,
                        const std::vector<int>& succ) {
  const size_t n = activities.size();
  Reference r;
  r.es.resize(n);
  for (size_t i = 0; i < n; ++i) {
    r.es[i] = activities[i].start_no_earlier_than.value_or(0);
  }
  auto ef = [&](int i) { return r.es[i] + activities[i].duration_days; };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t j = 0; j < dependencies.size(); ++j) {
      const Dependency& d = dependencies[j];
      const int p = pred[j];
      const int s = succ[j];
      const int64_t dur = activities[s].duration_days;
      int64_t need = 0;
      switch (d.type) {
        case kFS:
          need = ef(p) + d.lag_days;
          break;
        case kSS:
          need = r.es[p] + d.lag_days;
          break;
        case kFF:
          need = ef(p) + d.lag_days - dur;
          break;
        case kSF:
          need = r.es[p] + d.lag_days - dur;
          break;
      }
      if (need > r.es[s]) {
        r.es[s] = need;
        changed = true;
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    r.ef.push_back(ef(i));
    r.finish = std::max(r.finish, r.ef[i]);
  }
  r.lf.assign(n, r.finish);
  auto ls = [&](int i) { return r.lf[i] - activities[i].duration_days; };
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t j = 0; j < dependencies.size(); ++j) {
      const Dependency& d = dependencies[j];
      const int p = pred[j];
      const int s = succ[j];
      const int64_t dur = activities[p].duration_days;
      int64_t bound = 0;
      switch (d.type) {
        case kFS:
          bound = ls(s) - d.lag_days;
          break;
        case kSS:
          bound = ls(s) - d.lag_days + dur;
          break;
        case kFF:
          bound = r.lf[s] - d.lag_days;
          break;
        case kSF:
          bound = r.lf[s] - d.lag_days + dur;
          break;
      }
      if (bound < r.lf[p]) {
        r.lf[p] = bound;
        changed = true;
      }
    }
  }
  for (size_t i = 0; i < n; ++i) {
    r.ls.push_back(ls(i));
    r.free_float.push_back(r.finish - r.ef[i]);
  }
  for (size_t j = 0; j < dependencies.size(); ++j) {
    const Dependency& d = dependencies[j];
    const int p = pred[j];
    const int s = succ[j];
    int64_t slack = 0;
    switch (d.type) {
      case kFS:
        slack = r.es[s] - (r.ef[p] + d.lag_days);
        break;
      case kSS:
        slack = r.es[s] - (r.es[p] + d.lag_days);
        break;
      case kFF:
        slack = r.ef[s] - (r.ef[p] + d.lag_days);
        break;
      case kSF:
        slack = r.ef[s] - (r.es[p] + d.lag_days);
        break;
    }
    r.free_float[p] = std::min(r.free_float[p], slack);
  }
  return r;
}

TEST(CriticalPathPropertyTest, RandomNetworksMatchNaiveRelaxation) {
  std::mt19937 rng(20240611);
  const DependencyType kTypes[] = {kFS, kSS, kFF, kSF};
  for (int round = 0; round < 1000; ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    const int n = 1 + static_cast<int>(rng() % 30);
    std::vector<Activity> activities;
    for (int i = 0; i < n; ++i) {
      Activity a{"T" + std::to_string(i), static_cast<int64_t>(rng() % 8)};
      if (rng() % 6 == 0) a.start_no_earlier_than = rng() % 15;
      activities.push_back(a);
    }
    // A hidden topological order: links only go forward in `rank`.
    std::vector<int> rank(n);
    for (int i = 0; i < n; ++i) rank[i] = i;
    std::shuffle(rank.begin(), rank.end(), rng);
    std::vector<Dependency> dependencies;
    std::vector<int> pred;
    std::vector<int> succ;
    const int m =
        n > 1 ? static_cast<int>(rng() % (2 * static_cast<uint64_t>(n))) : 0;
    for (int j = 0; j < m; ++j) {
      int a = static_cast<int>(rng() % n);
      int b = static_cast<int>(rng() % n);
      if (a == b) continue;
      if (a > b) std::swap(a, b);
      const int p = rank[a];
      const int s = rank[b];
      dependencies.push_back({activities[p].id, activities[s].id,
                              kTypes[rng() % 4],
                              static_cast<int64_t>(rng() % 9) - 3});
      pred.push_back(p);
      succ.push_back(s);
    }

    ASSERT_OK_AND_ASSIGN(ProjectSchedule s,
                         ComputeCriticalPath(activities, dependencies));
    const Reference r = NaiveSchedule(activities, dependencies, pred, succ);

    ASSERT_EQ(s.project_finish, r.finish);
    std::vector<ScheduledActivity> expected;
    std::vector<int> critical;
    for (int i = 0; i < n; ++i) {
      expected.push_back(Dates(r.es[i], r.ef[i], r.ls[i], r.lf[i],
                               r.ls[i] - r.es[i], r.free_float[i]));
      EXPECT_GE(r.free_float[i], 0);
      EXPECT_LE(r.free_float[i], r.ls[i] - r.es[i]);
      if (r.ls[i] == r.es[i]) critical.push_back(i);
    }
    ASSERT_THAT(s.activities, ElementsAreArray(expected));
    EXPECT_EQ(s.critical_activities, critical);

    // The path: critical activities joined by driving dependencies, from an
    // undriven start to the project finish.
    ASSERT_FALSE(s.critical_path.empty());
    const ScheduledActivity& first = s.activities[s.critical_path.front()];
    EXPECT_EQ(
        first.early_start,
        activities[s.critical_path.front()].start_no_earlier_than.value_or(0));
    EXPECT_EQ(s.activities[s.critical_path.back()].early_finish, r.finish);
    auto drives = [&](size_t j) {
      const Dependency& d = dependencies[j];
      const int p = pred[j];
      const int q = succ[j];
      const int64_t from = (d.type == kFS || d.type == kFF) ? r.ef[p] : r.es[p];
      const int64_t to = (d.type == kFF || d.type == kSF) ? r.ef[q] : r.es[q];
      return to == from + d.lag_days;
    };
    for (size_t j = 0; j < dependencies.size(); ++j) {
      EXPECT_FALSE(pred[j] == s.critical_path.back() &&
                   s.activities[succ[j]].critical && drives(j))
          << "the path could go on to " << succ[j];
    }
    for (size_t k = 0; k < s.critical_path.size(); ++k) {
      EXPECT_TRUE(s.activities[s.critical_path[k]].critical);
      if (k == 0) continue;
      const int p = s.critical_path[k - 1];
      const int q = s.critical_path[k];
      bool driving = false;
      for (size_t j = 0; j < dependencies.size(); ++j) {
        driving = driving || (pred[j] == p && succ[j] == q && drives(j));
      }
      EXPECT_TRUE(driving) << "no driving link " << p << " -> " << q;
    }
  }
}

}  // namespace
}  // namespace pmo::schedule
