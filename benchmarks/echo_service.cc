#include "benchmarks/echo_service.h"

namespace pmo::bench {

grpc::Status EchoServiceImpl::Echo(grpc::ServerContext*,
                                   const v1::EchoRequest* request,
                                   v1::EchoResponse* response) {
  response->set_payload(request->payload());
  return grpc::Status::OK;
}

}  // namespace pmo::bench
