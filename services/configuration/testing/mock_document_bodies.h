#pragma once

// A gmock double of the DocumentBodies port, for the faults the SQLite
// adapter cannot be made to show on demand: a body store that refuses a
// write (disk full) or has lost a body an event still names. By default it
// answers from the real store it delegates to.

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "services/configuration/app/document_bodies.h"

namespace pmo::configuration::testing {

class MockDocumentBodies : public DocumentBodies {
 public:
  MOCK_METHOD(absl::StatusOr<std::string>, Put, (const std::string& body),
              (override));
  MOCK_METHOD((absl::StatusOr<std::optional<std::string>>), Get,
              (const std::string& sha256), (override));

  // Every call not told otherwise goes to `real`.
  void DelegateTo(DocumentBodies& real) {
    ON_CALL(*this, Put).WillByDefault([&real](const std::string& body) {
      return real.Put(body);
    });
    ON_CALL(*this, Get).WillByDefault([&real](const std::string& sha256) {
      return real.Get(sha256);
    });
  }
};

}  // namespace pmo::configuration::testing
