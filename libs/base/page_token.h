#pragma once

// One paging scheme for every list the services answer: page_size 0..1000
// (0: 100), and an opaque page token, web-safe base64 of
// "<list>:<position>". The position is whatever the list resumes from (an
// offset into an ordered answer, or the store position of the last item
// sent); the list name keeps a token of one list from being replayed on
// another.
//
//   FieldViolations v;
//   const PageRequest page = ReadPageRequest(v, request.page_size(),
//                                            request.page_token(), "tools");
//   ...
//   response->set_next_page_token(PageToken("tools", next_offset));

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "libs/base/errors.h"

namespace pmo {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

struct PageRequest {
  // Where the page starts: 0 for the first page.
  int64_t position = 0;
  // Items on the page (the default when the request said 0).
  int page_size = kDefaultPageSize;
};

// Reads a request's page_size and page_token; adds a violation naming each
// bad one ("page_size", "page_token").
PageRequest ReadPageRequest(FieldViolations& v, int64_t page_size,
                            const std::string& page_token,
                            absl::string_view list);

// The token that resumes `list` at `position`.
std::string PageToken(absl::string_view list, int64_t position);

// For a list answered by offset (its position is an index into a stable
// order): the items [begin, end) of a `total`-long list that `page` asks
// for, and the token of the next page (empty on the last).
struct PageRange {
  size_t begin = 0, end = 0;
  std::string next_page_token;
};
PageRange PageOf(const PageRequest& page, size_t total, absl::string_view list);

}  // namespace pmo
