#pragma once

// Seeds for the fuzz targets, made from the message descriptors so they
// follow the protos as they change: a message with every field set to a
// value its validation is likely to accept (ids as UUIDs, dates as real
// dates, enums at their first real value). The fuzzer mutates from there
// into the corners.

#include <string>

#include "google/protobuf/descriptor.h"

namespace pmo::fuzz {

// The binary form of a plausible message of `type`.
std::string PlausibleMessage(const google::protobuf::Descriptor& type);

// Where a target keeps its SQLite files: $PMO_FUZZ_DATA_DIR (scripts/fuzz.sh
// makes one on a RAM file system and removes it after the run), else
// /dev/shm, else /tmp. On RAM, fsync is cheap and a target runs thousands
// of commands a second.
std::string ScratchBase();

}  // namespace pmo::fuzz
