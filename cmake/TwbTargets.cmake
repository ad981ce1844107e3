# Helpers shared by every target of the project. Each is one short declarative call.

# A tiny object library that owns the precompiled torch header; every torch target reuses it,
# so <torch/torch.h> is parsed once per build instead of once per file.
add_library(twb_torch_pch OBJECT ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
target_link_libraries(twb_torch_pch PUBLIC ${TORCH_LIBRARIES} Qt6::Core)
target_compile_options(twb_torch_pch PUBLIC ${TORCH_CXX_FLAGS})
target_precompile_headers(twb_torch_pch PRIVATE <torch/torch.h> <QtCore/QString>
                          <QtCore/QStringList> <QtCore/QVariant>)

# twb_use_torch(target): link LibTorch and reuse the shared precompiled header.
function(twb_use_torch target)
  target_link_libraries(${target} PRIVATE ${TORCH_LIBRARIES})
  target_precompile_headers(${target} REUSE_FROM twb_torch_pch)
endfunction()

# Every model plugin: twb_add_plugin adds each to the global property TWB_PLUGINS and to this
# target. Whatever loads plugins at run time (twb-cli, tests, benchmarks) depends on it.
add_custom_target(twb_all_plugins)

# twb_add_plugin(NAME id MODEL_SOURCES ... PLUGIN_SOURCES ... [JSON file]): one model family.
#   twb_model_<id>  static library of the model (MODEL_SOURCES), linked directly by tests and
#                   benchmarks, with the plugin's folder on its include path;
#   <id>            the Qt plugin (PLUGIN_SOURCES and the JSON metadata, default <id>.json)
#                   that maps hyperparameters to the model, built as <id>.so into the shared
#                   plugin folder and installed.
# The JSON's "id" must be NAME: the plugin's file and its id are the same word.
function(twb_add_plugin)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;JSON" "MODEL_SOURCES;PLUGIN_SOURCES")
  if(ARG_UNPARSED_ARGUMENTS OR NOT ARG_NAME OR NOT ARG_MODEL_SOURCES OR NOT ARG_PLUGIN_SOURCES)
    message(FATAL_ERROR "usage: twb_add_plugin(NAME id MODEL_SOURCES ... PLUGIN_SOURCES ... "
                        "[JSON file])")
  endif()
  set(name ${ARG_NAME})
  if(NOT ARG_JSON)
    set(ARG_JSON ${name}.json)
  endif()
  cmake_path(ABSOLUTE_PATH ARG_JSON BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
             OUTPUT_VARIABLE json)
  file(READ ${json} metadata)
  string(JSON id ERROR_VARIABLE error GET "${metadata}" id)
  if(error OR NOT id STREQUAL name)
    message(FATAL_ERROR "twb_add_plugin(${name}): the \"id\" of ${json} must be \"${name}\"")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${json})

  set(model twb_model_${name})
  add_library(${model} STATIC ${ARG_MODEL_SOURCES})
  target_link_libraries(${model} PUBLIC twb_nn)
  target_include_directories(${model} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  twb_use_torch(${model})

  add_library(${name} MODULE ${ARG_PLUGIN_SOURCES} ${json})
  target_link_libraries(${name} PRIVATE twb_plugin twb_nn Qt6::Core ${model})
  twb_use_torch(${name})
  set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${TWB_PLUGIN_OUTPUT_DIRECTORY}
                                           PREFIX "")
  install(TARGETS ${name} LIBRARY DESTINATION ${TWB_PLUGIN_INSTALL_DIR})

  set_property(GLOBAL APPEND PROPERTY TWB_PLUGINS ${name})
  add_dependencies(twb_all_plugins ${name})
endfunction()

# Seconds one test executable may take; the sanitizer build (scripts/run-sanitizers.sh), which
# runs three to ten times slower, raises it.
set(TWB_TEST_TIMEOUT 300 CACHE STRING "CTest timeout of one test executable, in seconds")

# twb_add_test(name SOURCES ... [LIBS ...] [TORCH] [WIDGETS]): one Qt Test executable under CTest.
function(twb_add_test name)
  cmake_parse_arguments(ARG "TORCH;WIDGETS" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
  target_compile_definitions(${name} PRIVATE
    TWB_SHARED_DATA_DIR="${PROJECT_SOURCE_DIR}/../shared/data"
    TWB_PLUGIN_BUILD_DIR="${TWB_PLUGIN_OUTPUT_DIRECTORY}"
    TWB_TEST_BIN_DIR="${CMAKE_RUNTIME_OUTPUT_DIRECTORY}")
  if(ARG_TORCH)
    twb_use_torch(${name})
  endif()
  set(args)
  if(ARG_WIDGETS)
    set(args -platform offscreen)
  endif()
  add_test(NAME ${name} COMMAND ${name} ${args})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${TWB_TEST_TIMEOUT}
                                           ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
