#pragma once

// PMO_CHECK(cond) << is not offered: a broken invariant is a crash with a
// message, never a silent fallback (Abseil 20220623 has no absl/log).

#include <cstdio>
#include <cstdlib>

#define PMO_CHECK(cond, msg)                                          \
  do {                                                                \
    if (!(cond)) [[unlikely]] {                                       \
      std::fprintf(stderr, "%s:%d: check failed: %s: %s\n", __FILE__, \
                   __LINE__, #cond, (msg));                           \
      std::abort();                                                   \
    }                                                                 \
  } while (false)
