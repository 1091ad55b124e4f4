#pragma once

// One page of a list the configuration service answers in a stable order
// (registration, catalogue or planning order). The token is the offset of
// the next page in that order.
//
//   ASSIGN_OR_RETURN(Page<v1::Tool> page, PageOf(std::move(tools), 50, token));

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/base/errors.h"

namespace pmo::configuration {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

// Adds violations naming page_size and page_token; `offset` gets the
// token's offset (0 for the first page).
inline void CheckPageRequest(FieldViolations& v, int page_size, const std::string& page_token,
                             int64_t* offset) {
  if (page_size < 0 || page_size > kMaxPageSize) {
    v.Add("page_size", absl::StrCat("must be between 0 and ", kMaxPageSize));
  }
  *offset = 0;
  if (!page_token.empty() && (!absl::SimpleAtoi(page_token, offset) || *offset < 0)) {
    v.Add("page_token", "is not a token this service gave");
  }
}

// The page of `all` at `offset`, `page_size` long (0: the default).
template <typename T>
Page<T> PageAt(std::vector<T> all, int page_size, int64_t offset) {
  if (page_size == 0) page_size = kDefaultPageSize;
  Page<T> page;
  const int64_t size = static_cast<int64_t>(all.size());
  for (int64_t i = offset; i < size && i < offset + page_size; ++i) {
    page.items.push_back(std::move(all[i]));
  }
  if (offset + page_size < size) page.next_page_token = absl::StrCat(offset + page_size);
  return page;
}

// Checks the request, then pages `all`.
template <typename T>
absl::StatusOr<Page<T>> PageOf(std::vector<T> all, int page_size, const std::string& page_token) {
  FieldViolations v;
  int64_t offset = 0;
  CheckPageRequest(v, page_size, page_token, &offset);
  RETURN_IF_ERROR(v.ToStatus());
  return PageAt(std::move(all), page_size, offset);
}

}  // namespace pmo::configuration
