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

# twb_add_plugin(name SOURCES ... [JSON file] [MODEL static-model-library]): a model plugin built
# into the shared plugin folder. MODEL links the static library that holds the model itself.
function(twb_add_plugin name)
  cmake_parse_arguments(ARG "" "MODEL" "SOURCES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE twb_plugin twb_nn Qt6::Core ${ARG_MODEL})
  twb_use_torch(${name})
  set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${TWB_PLUGIN_OUTPUT_DIRECTORY}
                                           PREFIX "")
  install(TARGETS ${name} LIBRARY DESTINATION ${TWB_PLUGIN_INSTALL_DIR})
endfunction()

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
  set_tests_properties(${name} PROPERTIES TIMEOUT 300 ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
