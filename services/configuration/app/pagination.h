#pragma once

// One page of a list the configuration service answers in a stable order
// (registration, catalogue or planning order), on the paging scheme every
// service shares (libs/base/page_token.h): the token's position is the
// offset of the next page in that order.
//
//   const PageRequest request = ReadPageRequest(v, page_size, token, "tools");
//   Page<v1::Tool> page = PageAt(std::move(tools), request, "tools");

#include <cstdint>
#include <string>
#include <vector>

#include "libs/base/page_token.h"

namespace pmo::configuration {

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

// The page of `all` that `request` asks for.
template <typename T>
Page<T> PageAt(std::vector<T> all, const PageRequest& request,
               const char* list) {
  const PageRange range = PageOf(request, all.size(), list);
  Page<T> page;
  for (size_t i = range.begin; i < range.end; ++i)
    page.items.push_back(std::move(all[i]));
  page.next_page_token = range.next_page_token;
  return page;
}

}  // namespace pmo::configuration
