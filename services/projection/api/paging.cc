#include "services/projection/api/paging.h"

#include <algorithm>

namespace pmo::projection {

PageRange PageOf(const PageRequest& page, size_t total, absl::string_view list) {
  PageRange range;
  range.begin = std::min(total, static_cast<size_t>(page.position));
  range.end = std::min(total, range.begin + static_cast<size_t>(page.page_size));
  if (range.end < total) range.next_page_token = PageToken(list, static_cast<int64_t>(range.end));
  return range;
}

}  // namespace pmo::projection
