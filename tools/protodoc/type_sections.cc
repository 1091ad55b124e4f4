#include "tools/protodoc/type_sections.h"

#include <deque>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.pb.h"
#include "tools/protodoc/proto_text.h"

namespace pmo::protodoc {

namespace gp = google::protobuf;

std::string Anchor(absl::string_view full_name) {
  return absl::StrCat("<a id=\"", AnchorFor(full_name), "\"></a>\n");
}

std::string FieldTable(const gp::Descriptor& message, absl::string_view package,
                       const Linked& linked, Coverage& coverage) {
  if (message.field_count() == 0) return "No fields.\n";
  std::string out = "| field | # | type | meaning |\n|---|---|---|---|\n";
  auto link = [&](const std::string& name) { return linked.count(name) > 0; };
  for (int i = 0; i < message.field_count(); ++i) {
    const gp::FieldDescriptor& field = *message.field(i);
    std::string comment = CommentOf(field);
    ++coverage.fields;
    if (comment.empty()) {
      ++coverage.undocumented;
      coverage.missing.push_back(field.full_name());
    }
    std::string meaning = AsCell(comment);
    if (const gp::OneofDescriptor* oneof = field.real_containing_oneof()) {
      meaning = absl::StrCat("One of `", oneof->name(), "`. ", meaning);
    }
    absl::StrAppend(&out, "| `", field.name(), "`",
                    field.options().deprecated() ? " (deprecated)" : "", " | ",
                    field.number(), " | ", TypeOf(field, package, link), " | ",
                    meaning, " |\n");
  }
  return out;
}

std::string EnumTable(const gp::EnumDescriptor& e) {
  std::string out = "| value | # | meaning |\n|---|---|---|\n";
  for (int i = 0; i < e.value_count(); ++i) {
    const gp::EnumValueDescriptor& value = *e.value(i);
    absl::StrAppend(&out, "| `", value.name(), "`",
                    value.options().deprecated() ? " (deprecated)" : "", " | ",
                    value.number(), " | ", AsCell(CommentOf(value)), " |\n");
  }
  return out;
}

TypeIndex ReachableTypes(const std::vector<const gp::Descriptor*>& roots) {
  std::set<std::string> seen;
  for (const gp::Descriptor* root : roots) seen.insert(root->full_name());
  std::map<std::string, const gp::Descriptor*> messages;
  std::map<std::string, const gp::EnumDescriptor*> enums;
  std::deque<const gp::Descriptor*> todo(roots.begin(), roots.end());
  auto ours = [](const std::string& full_name) {
    return absl::StartsWith(full_name, "pmo.");
  };
  while (!todo.empty()) {
    const gp::Descriptor* message = todo.front();
    todo.pop_front();
    for (int i = 0; i < message->field_count(); ++i) {
      const gp::FieldDescriptor& field = *message->field(i);
      if (const gp::Descriptor* m = field.message_type()) {
        // A map's entry is spelled map<K, V> in its field, not shown itself.
        if (m->options().map_entry()) {
          todo.push_back(m);
          continue;
        }
        if (ours(m->full_name()) && seen.insert(m->full_name()).second) {
          messages[m->full_name()] = m;
          todo.push_back(m);
        }
      } else if (const gp::EnumDescriptor* e = field.enum_type()) {
        if (ours(e->full_name()) && seen.insert(e->full_name()).second)
          enums[e->full_name()] = e;
      }
    }
  }
  TypeIndex index;
  for (const auto& [name, m] : messages) index.messages.push_back(m);
  for (const auto& [name, e] : enums) index.enums.push_back(e);
  return index;
}

Linked NamesOf(const TypeIndex& types) {
  Linked names;
  for (const gp::Descriptor* m : types.messages) names.insert(m->full_name());
  for (const gp::EnumDescriptor* e : types.enums) names.insert(e->full_name());
  return names;
}

std::string TypeSections(const TypeIndex& types, const Linked& linked,
                         Coverage& coverage) {
  // Messages and enums interleaved by name, as a reader scanning for one
  // expects.
  std::map<std::string, std::string> sections;
  for (const gp::Descriptor* m : types.messages) {
    std::string& s = sections[m->full_name()];
    absl::StrAppend(&s, Anchor(m->full_name()), "### ", m->full_name(), "\n\n");
    if (std::string c = AsParagraphs(CommentOf(*m)); !c.empty())
      absl::StrAppend(&s, c, "\n\n");
    absl::StrAppend(&s, FieldTable(*m, m->file()->package(), linked, coverage),
                    "\n");
  }
  for (const gp::EnumDescriptor* e : types.enums) {
    std::string& s = sections[e->full_name()];
    absl::StrAppend(&s, Anchor(e->full_name()), "### ", e->full_name(),
                    " (enum)\n\n");
    if (std::string c = AsParagraphs(CommentOf(*e)); !c.empty())
      absl::StrAppend(&s, c, "\n\n");
    absl::StrAppend(&s, EnumTable(*e), "\n");
  }
  std::string out;
  for (const auto& [name, section] : sections) out += section;
  return out;
}

}  // namespace pmo::protodoc
