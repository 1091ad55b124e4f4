// libFuzzer target: event decoding and application in the projection
// (eventsourcing::DecodeEvent and PortfolioView::Handle), the code that
// meets every event a producer we do not control put on the topic.
//
// An input becomes a batch of deliveries: streams from a small set (so
// versions collide, gaps open and close), versions, a type among the
// projects context's events or a made-up one, and payload bytes (often a
// plausible event, mutated). The view lives in a temporary SQLite file for
// the whole run. Besides the sanitizers the oracle is the view's contract:
// a batch of any content is either applied or, only for a storage fault,
// refused (never for content: bad events are noted, not fatal), and the
// view can always be listed and digested afterwards.

#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "fuzz/fuzz_seeds.h"
#include "google/protobuf/descriptor.h"
#include "libs/eventsourcing/event_codec.h"
#include "pmo/projects/v1/events.pb.h"
#include "services/projection/adapters/open_view_storage.h"
#include "services/projection/app/portfolio_view.h"

namespace {

constexpr const char* kStreams[] = {
    "0f8fad5b-d9cb-469f-a165-70867728950e",
    "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "a3bb189e-8bf9-3888-9912-ace4e6543002",
};

std::vector<const google::protobuf::Descriptor*> EventTypes() {
  std::vector<const google::protobuf::Descriptor*> out;
  const auto* file = pmo::projects::v1::ProjectCreated::descriptor()->file();
  for (int i = 0; i < file->message_type_count(); ++i)
    out.push_back(file->message_type(i));
  return out;
}

pmo::projection::PortfolioView& TheView() {
  static pmo::projection::PortfolioView* view = [] {
    std::string dir = pmo::fuzz::ScratchBase() + "/pmo-fuzz-view-XXXXXX";
    if (!mkdtemp(dir.data())) std::abort();
    auto v = pmo::projection::OpenPortfolioView(dir + "/portfolio-view.db");
    if (!v.ok()) std::abort();
    return v->release();
  }();
  return *view;
}

[[noreturn]] void Fail(const char* what, const absl::Status& s) {
  std::fprintf(stderr, "projection: %s: %s\n", what, s.ToString().c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto types = EventTypes();
  static int64_t next_offset = 0;
  FuzzedDataProvider in(data, size);
  std::vector<pmo::subscription::Delivery> batch;
  const int count = in.ConsumeIntegralInRange<int>(1, 8);
  for (int i = 0; i < count && in.remaining_bytes() > 0; ++i) {
    pmo::subscription::Delivery d;
    d.source = "pmo.projects.events.v1";
    d.offset = next_offset++;
    if (in.ConsumeProbability<float>() < 0.05f) {
      d.undecodable_reason = in.ConsumeRandomLengthString(40);
      batch.push_back(std::move(d));
      continue;
    }
    pmo::eventstore::RecordedEvent& e = d.event;
    e.stream_id =
        kStreams[in.ConsumeIntegralInRange<size_t>(0, std::size(kStreams) - 1)];
    e.stream_type = "project";
    e.stream_version = in.ConsumeIntegralInRange<int64_t>(-1, 6);
    e.position = d.offset + 1;
    e.occurred_at = absl::FromUnixMicros(in.ConsumeIntegral<int64_t>());
    e.recorded_at = absl::FromUnixMicros(in.ConsumeIntegral<int64_t>());
    const auto* type =
        types[in.ConsumeIntegralInRange<size_t>(0, types.size() - 1)];
    e.event_type = in.ConsumeProbability<float>() < 0.1f
                       ? in.ConsumeRandomLengthString(40)
                       : type->full_name();
    // Half the time a plausible event with mutated bytes appended (later
    // fields override earlier ones in protobuf), else raw bytes.
    e.payload =
        in.ConsumeBool() ? pmo::fuzz::PlausibleMessage(*type) : std::string();
    e.payload += in.ConsumeRandomLengthString(200);
    // Decoding alone must never crash, whatever the bytes.
    (void)pmo::eventsourcing::DecodeEvent(e.event_type, e.payload);
    batch.push_back(std::move(d));
  }
  pmo::projection::PortfolioView& view = TheView();
  if (absl::Status s = view.Handle(batch); !s.ok())
    Fail("a batch was refused", s);
  if (auto digest = view.Digest(); !digest.ok())
    Fail("digest", digest.status());
  if (auto page = view.ListProjects(
          0, "", pmo::projects::v1::PROJECT_STATUS_UNSPECIFIED);
      !page.ok()) {
    Fail("list", page.status());
  }
  return 0;
}
