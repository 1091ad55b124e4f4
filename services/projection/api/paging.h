#pragma once

// Offset paging for the projection's lists: each request recomputes its
// list from the consolidation, so a token is a position in the filtered,
// ordered list (opaque to callers: base64 of "<list>-offset:<n>").

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "libs/base/errors.h"

namespace pmo::projection {

struct PageRequest {
  int64_t offset = 0;
  int page_size = 100;
};

// Checks page_size (0..1000; 0 means 100) and a token issued for `list`,
// adding a violation naming the field for each bad one.
PageRequest ReadPage(FieldViolations& v, int32_t page_size, const std::string& page_token,
                     absl::string_view list);

struct PageRange {
  size_t begin = 0, end = 0;
  std::string next_page_token;  // empty on the last page
};
PageRange PageOf(const PageRequest& page, size_t total, absl::string_view list);

}  // namespace pmo::projection
