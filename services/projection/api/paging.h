#pragma once

// Offset paging for the projection's lists (libs/base/page_token.h's
// scheme): each request recomputes its list from the consolidation, so a
// token's position is an offset into the filtered, ordered list.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "libs/base/errors.h"
#include "libs/base/page_token.h"

namespace pmo::projection {

// Checks page_size and a token issued for `list`, adding a violation
// naming the field for each bad one.
inline PageRequest ReadPage(FieldViolations& v, int32_t page_size, const std::string& page_token,
                            absl::string_view list) {
  return ReadPageRequest(v, page_size, page_token, list);
}

struct PageRange {
  size_t begin = 0, end = 0;
  std::string next_page_token;  // empty on the last page
};
PageRange PageOf(const PageRequest& page, size_t total, absl::string_view list);

}  // namespace pmo::projection
