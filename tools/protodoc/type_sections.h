#pragma once

// The parts both documents share: a message's fields as a table, an enum's
// values as a table, and the set of PMO types a group of messages reaches
// through their fields (each gets one section, linked from every use).

#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace pmo::protodoc {

// How many fields a document shows and how many carry no comment.
struct Coverage {
  int fields = 0;
  int undocumented = 0;
  // Full names of what has no comment: each undocumented field, and each
  // event without a comment of its own.
  std::vector<std::string> missing;
};

// Full names of the types that have a section in the document.
using Linked = std::set<std::string>;

// "| field | # | type | meaning |" with one row per field, in declaration
// order. Field types are named as seen from `package`; a named type is
// linked when `linked` holds it.
std::string FieldTable(const google::protobuf::Descriptor& message,
                       absl::string_view package, const Linked& linked,
                       Coverage& coverage);

// "| value | # | meaning |".
std::string EnumTable(const google::protobuf::EnumDescriptor& e);

struct TypeIndex {
  std::vector<const google::protobuf::Descriptor*> messages;
  std::vector<const google::protobuf::EnumDescriptor*> enums;
};
// Every message and enum of a pmo.* package reached from `roots` through
// fields, without `roots` themselves; each list sorted by full name so the
// output does not depend on declaration order elsewhere.
TypeIndex ReachableTypes(
    const std::vector<const google::protobuf::Descriptor*>& roots);

// One "### full.name" section (anchor, comment, table) per type, messages
// and enums together in full-name order.
std::string TypeSections(const TypeIndex& types, const Linked& linked,
                         Coverage& coverage);

// The full names in `types`.
Linked NamesOf(const TypeIndex& types);

// "<a id=...></a>" for a heading of `full_name`.
std::string Anchor(absl::string_view full_name);

}  // namespace pmo::protodoc
