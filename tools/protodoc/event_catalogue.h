#pragma once

// docs/events.md: every domain event of every context, the Kafka topic it
// is published on, its CloudEvents type and each field with its comment.
//
// An event is a top-level message of pmo/<context>/v1/events.proto that no
// other message of that file holds as a field (BaselineTask, say, is a part
// of BaselineCaptured, not an event): the codec stores any message under
// its full name, so the file is the only list there is.

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "tools/protodoc/type_sections.h"

namespace pmo::protodoc {

// True for pmo/<context>/v1/events.proto.
bool IsEventsFile(const google::protobuf::FileDescriptor& file);

// The events of one events.proto, in declaration order.
std::vector<const google::protobuf::Descriptor*> EventsOf(
    const google::protobuf::FileDescriptor& file);

// The whole document for the events files among `files`.
std::string RenderEventCatalogue(
    const std::vector<const google::protobuf::FileDescriptor*>& files,
    Coverage& coverage);

}  // namespace pmo::protodoc
