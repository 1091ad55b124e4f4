#pragma once

// The baseline RPC: pmo.bench.v1.EchoService/Echo sends its payload back
// and does nothing else. Served by the same ServiceHost (interceptors
// included) as the real services, it costs what the transport and the host
// cost, so it is the ceiling for one RPC per command. pmo_bench serves it in
// process; `pmo-bench serve-echo` serves it as its own process.

#include <grpcpp/grpcpp.h>

#include "pmo/bench/v1/echo.grpc.pb.h"

namespace pmo::bench {

class EchoServiceImpl final : public v1::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext* context,
                    const v1::EchoRequest* request,
                    v1::EchoResponse* response) override;
};

}  // namespace pmo::bench
