# One helper makes every library, one every test, one every proto library.
#
#   pmo_cc_library(NAME eventstore HDRS a.h SRCS a.cc DEPS pmo::base)
#     -> target pmo_eventstore, alias pmo::eventstore
#   pmo_cc_binary(NAME pmo SRCS main.cc DEPS ...)
#   pmo_cc_test(NAME eventstore_test SRCS t.cc DEPS ... LABELS unit
#               [TIMEOUT s] [ENV K=V ...] [RESOURCE_LOCK x])
#   pmo_proto_library(NAME projects_proto PROTOS a.proto [GRPC] DEPS ...)
#     -> pmo::projects_proto_messages (no gRPC) and pmo::projects_proto
#        (with GRPC: the service stubs, grpc++ and the messages)

set(PMO_WARNINGS -Wall -Wextra -Werror -Wno-unused-parameter
    -Wno-missing-field-initializers)
# The tree is kept warning-free under GCC 12, the compiler of record; the
# clang fuzzing tree (PMO_FUZZ) reports clang's extra warnings without
# failing on them.
if(PMO_FUZZ)
  list(REMOVE_ITEM PMO_WARNINGS -Werror)
endif()

function(pmo_cc_library)
  cmake_parse_arguments(A "" "NAME" "HDRS;SRCS;DEPS" ${ARGN})
  set(target pmo_${A_NAME})
  if(A_SRCS)
    add_library(${target} STATIC ${A_SRCS} ${A_HDRS})
    target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${A_DEPS})
    target_compile_options(${target} PRIVATE ${PMO_WARNINGS})
  else()
    add_library(${target} INTERFACE ${A_HDRS})
    target_include_directories(${target} INTERFACE ${CMAKE_SOURCE_DIR})
    target_link_libraries(${target} INTERFACE ${A_DEPS})
  endif()
  add_library(pmo::${A_NAME} ALIAS ${target})
endfunction()

function(pmo_cc_binary)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  target_compile_options(${A_NAME} PRIVATE ${PMO_WARNINGS})
  set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                        ${CMAKE_BINARY_DIR}/bin)
endfunction()

# Labels: unit (fast, no broker), integration (real processes, SQLite files),
# kafka (a real broker), soak (long; excluded from the default run).
function(pmo_cc_test)
  cmake_parse_arguments(A "" "NAME;TIMEOUT;RESOURCE_LOCK" "SRCS;DEPS;LABELS;ENV"
                        ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} GTest::gmock_main)
  target_compile_options(${A_NAME} PRIVATE ${PMO_WARNINGS})
  target_compile_definitions(${A_NAME} PRIVATE
    PMO_BINARY_DIR="${CMAKE_BINARY_DIR}" PMO_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  add_test(NAME ${A_NAME} COMMAND ${A_NAME})
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${A_NAME} PROPERTIES LABELS "${A_LABELS}"
                       TIMEOUT ${A_TIMEOUT})
  if(A_ENV)
    set_tests_properties(${A_NAME} PROPERTIES ENVIRONMENT "${A_ENV}")
  endif()
  if(A_RESOURCE_LOCK)
    set_tests_properties(${A_NAME} PROPERTIES RESOURCE_LOCK ${A_RESOURCE_LOCK})
  endif()
endfunction()

# Generates C++ (and gRPC stubs with GRPC) for .proto files given relative to
# PROTO_ROOT (default: protos/). Imports resolve against protos/, the
# googleapis folder and protobuf's own well-known types.
#
# pmo::<NAME>_messages is every .pb.cc and no gRPC: what a domain layer
# links (its events and state messages). With GRPC, pmo::<NAME> is another
# library, the .grpc.pb.cc service stubs, linking grpc++ and the messages
# one: what gRPC adapters and clients link. Without GRPC both names are the
# one messages library. The messages library links its DEPS' messages
# libraries.
function(pmo_proto_library)
  cmake_parse_arguments(A "GRPC" "NAME;PROTO_ROOT" "PROTOS;DEPS" ${ARGN})
  if(NOT A_PROTO_ROOT)
    set(A_PROTO_ROOT ${CMAKE_SOURCE_DIR}/protos)
  endif()
  set(out ${CMAKE_BINARY_DIR}/gen)
  set(message_srcs)
  set(grpc_srcs)
  foreach(proto ${A_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base ${proto})
    set(outputs ${out}/${base}.pb.cc ${out}/${base}.pb.h)
    set(plugin_args)
    if(A_GRPC)
      list(APPEND outputs ${out}/${base}.grpc.pb.cc ${out}/${base}.grpc.pb.h)
      set(plugin_args --grpc_out=${out}
          --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
      list(APPEND grpc_srcs ${out}/${base}.grpc.pb.cc)
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out}
      COMMAND protobuf::protoc --cpp_out=${out} ${plugin_args}
              -I${A_PROTO_ROOT} -I${CMAKE_SOURCE_DIR}/protos -I${PMO_GOOGLEAPIS_DIR}
              -I${Protobuf_INCLUDE_DIRS}
              ${A_PROTO_ROOT}/${proto}
      DEPENDS ${A_PROTO_ROOT}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}"
      VERBATIM)
    list(APPEND message_srcs ${out}/${base}.pb.cc)
  endforeach()
  if(A_GRPC)
    set(messages pmo_${A_NAME}_messages)
  else()
    set(messages pmo_${A_NAME})
  endif()
  set(message_deps)
  foreach(dep ${A_DEPS})
    if(TARGET ${dep}_messages)
      list(APPEND message_deps ${dep}_messages)
    else()
      list(APPEND message_deps ${dep})
    endif()
  endforeach()
  add_library(${messages} STATIC ${message_srcs})
  target_include_directories(${messages} SYSTEM PUBLIC ${out})
  target_link_libraries(${messages} PUBLIC protobuf::libprotobuf ${message_deps})
  add_library(pmo::${A_NAME}_messages ALIAS ${messages})
  if(A_GRPC)
    add_library(pmo_${A_NAME} STATIC ${grpc_srcs})
    target_link_libraries(pmo_${A_NAME} PUBLIC ${messages} ${A_DEPS} gRPC::grpc++)
  endif()
  add_library(pmo::${A_NAME} ALIAS pmo_${A_NAME})
endfunction()

# The layers keep to their links: every *_domain library (and what it
# links, all the way down) stays clear of the event store, the storage
# engines and gRPC, and every *_app library clear of gRPC (its use cases
# never call or serve a remote procedure; adapters and api/ do). Configuring
# fails naming the library and the link that breaks the rule. Called once,
# after every target is defined.
set(PMO_DOMAIN_FORBIDDEN_LINKS
  pmo_eventsourcing pmo_eventstore pmo_eventstore_postgres pmo_sqlite pmo_postgres
  SQLite::SQLite3 PkgConfig::LIBPQ gRPC::grpc++ gRPC::grpc gRPC::grpc++_unsecure)
set(PMO_APP_FORBIDDEN_LINKS gRPC::grpc++ gRPC::grpc gRPC::grpc++_unsecure)

function(pmo_collect_targets dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    pmo_collect_targets(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# pmo_check_layer_links(LAYER <suffix> FORBIDDEN <targets...> PATTERN <regex>
#                       WHY <text>)
function(pmo_check_layer_links)
  cmake_parse_arguments(A "" "LAYER;PATTERN;WHY" "FORBIDDEN" ${ARGN})
  pmo_collect_targets(${CMAKE_SOURCE_DIR} all_targets)
  set(domains ${all_targets})
  list(FILTER domains INCLUDE REGEX "^pmo_.*_${A_LAYER}$")
  if(NOT domains)
    message(FATAL_ERROR "pmo_check_layer_links: no *_${A_LAYER} library found")
  endif()
  foreach(domain ${domains})
    set(seen)
    set(queue ${domain})
    while(queue)
      list(POP_FRONT queue item)
      # $<LINK_ONLY:x> and similar wrap a target name.
      string(REGEX REPLACE "^\\$<[A-Z_]+:(.*)>$" "\\1" item "${item}")
      if(TARGET ${item})
        get_target_property(aliased ${item} ALIASED_TARGET)
        if(aliased)
          set(item ${aliased})
        endif()
      endif()
      if(item IN_LIST seen)
        continue()
      endif()
      list(APPEND seen ${item})
      if(item IN_LIST A_FORBIDDEN OR item MATCHES "${A_PATTERN}")
        message(FATAL_ERROR "${domain} links ${item}: ${A_WHY} "
          "(docs/architecture.md)")
      endif()
      if(NOT TARGET ${item})
        continue()
      endif()
      get_target_property(type ${item} TYPE)
      set(links)
      if(NOT type STREQUAL "INTERFACE_LIBRARY")
        get_target_property(direct ${item} LINK_LIBRARIES)
        if(direct)
          list(APPEND links ${direct})
        endif()
      endif()
      get_target_property(interface ${item} INTERFACE_LINK_LIBRARIES)
      if(interface)
        list(APPEND links ${interface})
      endif()
      list(APPEND queue ${links})
    endwhile()
  endforeach()
endfunction()

function(pmo_check_domain_links)
  pmo_check_layer_links(LAYER domain FORBIDDEN ${PMO_DOMAIN_FORBIDDEN_LINKS}
    PATTERN "(^|[/:])(lib)?(pq|sqlite3|grpc\\+\\+)[.a-z0-9]*$"
    WHY "a domain library links only pmo::base, pmo::dates, pmo::eventsourcing_decision, the pure calculation libraries, Abseil and a *_proto_messages library")
  pmo_check_layer_links(LAYER app FORBIDDEN ${PMO_APP_FORBIDDEN_LINKS}
    PATTERN "(^|[/:])(lib)?grpc\\+\\+[.a-z0-9]*$"
    WHY "an app library links no gRPC: its generated messages come from a *_proto_messages library, and remote calls go through an adapter")
endfunction()
