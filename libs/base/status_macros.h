#pragma once

// The two status macros Abseil 20220623 does not ship.
//
//   RETURN_IF_ERROR(store.Append(batch));
//   ASSIGN_OR_RETURN(Project project, LoadProject(id));

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define PMO_STATUS_CONCAT_INNER_(a, b) a##b
#define PMO_STATUS_CONCAT_(a, b) PMO_STATUS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                                                  \
  do {                                                                         \
    if (::absl::Status pmo_status_ = (expr); !pmo_status_.ok()) [[unlikely]] { \
      return pmo_status_;                                                      \
    }                                                                          \
  } while (false)

#define ASSIGN_OR_RETURN(lhs, expr)                                            \
  PMO_ASSIGN_OR_RETURN_IMPL_(PMO_STATUS_CONCAT_(pmo_statusor_, __LINE__), lhs, \
                             expr)

// `statusor` and `lhs` are declarations, which parentheses would break.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define PMO_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                               \
  if (!statusor.ok()) [[unlikely]] {                    \
    return std::move(statusor).status();                \
  }                                                     \
  lhs = *std::move(statusor)
// NOLINTEND(bugprone-macro-parentheses)
