#include "services/configuration/api/item_scopes.h"

#include "libs/base/status_macros.h"

namespace pmo::configuration {

absl::StatusOr<std::optional<auth::ItemScope>> ScopeByKeys(
    const ItemOwners& owners, const google::protobuf::Message& request,
    const std::vector<ItemKey>& keys) {
  const google::protobuf::Descriptor* type = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  std::optional<auth::ItemScope> scope;
  for (const ItemKey& key : keys) {
    const google::protobuf::FieldDescriptor* field =
        type->FindFieldByName(key.field);
    if (field == nullptr || field->is_repeated() ||
        field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      continue;
    }
    const std::string id = reflection->GetString(request, field);
    if (id.empty()) continue;
    ASSIGN_OR_RETURN(std::vector<std::string> projects,
                     owners.ProjectsOf(key.kind, id));
    if (!scope) scope.emplace();
    for (std::string& p : projects) scope->project_ids.push_back(std::move(p));
  }
  return scope;
}

}  // namespace pmo::configuration
