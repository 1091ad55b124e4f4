#pragma once

// Status matchers Abseil 20220623 does not ship:
//
//   EXPECT_THAT(store.Append(req), StatusIs(absl::StatusCode::kAborted));
//   EXPECT_THAT(Load(id), IsOkAndHolds(Field(&Project::code, "ERP")));
//   EXPECT_THAT(Close(id), ViolatesRule("RISK_LIFECYCLE"));
//   ASSERT_OK_AND_ASSIGN(auto result, store.Append(req));

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/base/errors.h"

namespace pmo::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P(StatusIs, code,
          std::string("has status code ") + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has status code ") + absl::StatusCodeToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(
             message_matcher, std::string(status.message()), result_listener);
}

// FAILED_PRECONDITION naming `rule` (a RuleViolationError).
MATCHER_P(ViolatesRule, rule, std::string("violates rule ") + rule) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  ::pmo::RuleViolation violation;
  return status.code() == absl::StatusCode::kFailedPrecondition &&
         ::pmo::RuleViolationOf(status, &violation) && violation.rule == rule;
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.ok();
}

MATCHER_P(IsOkAndHolds, value_matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

}  // namespace pmo::testing

#define PMO_TESTING_CONCAT_INNER_(a, b) a##b
#define PMO_TESTING_CONCAT_(a, b) PMO_TESTING_CONCAT_INNER_(a, b)

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::pmo::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::pmo::testing::IsOk())

// `lhs` may be a declaration, which parentheses would break.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                          \
  auto PMO_TESTING_CONCAT_(pmo_statusor_, __LINE__) = (expr);    \
  ASSERT_TRUE(PMO_TESTING_CONCAT_(pmo_statusor_, __LINE__).ok()) \
      << PMO_TESTING_CONCAT_(pmo_statusor_, __LINE__).status();  \
  lhs = *std::move(PMO_TESTING_CONCAT_(pmo_statusor_, __LINE__))
// NOLINTEND(bugprone-macro-parentheses)
