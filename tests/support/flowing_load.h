#pragma once

// What a kill round needs to know of a fault test's load, whatever the
// commands are: how many were acknowledged so far, and how to stop it.

#include <cstdint>

namespace pmo::testing {

class FlowingLoad {
 public:
  virtual ~FlowingLoad() = default;
  // Commands the service answered OK so far.
  virtual int64_t acked() const = 0;
  // Asks the client threads to finish their current call and joins them.
  virtual void Stop() = 0;
};

}  // namespace pmo::testing
