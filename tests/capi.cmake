# Tests of the public API (libiscam through iscam.h and iscam.hpp, nothing internal), included
# by tests/CMakeLists.txt. Under the asan preset they run sanitized like the rest of ctest; the
# Python module's test needs an unsanitized interpreter and is left out there.
iscam_test(test_capi iscam::iscam)
iscam_test(test_capi_threads iscam::iscam)
iscam_test(test_cpp_api iscam::iscam)
find_package(nlohmann_json 3 REQUIRED)
target_link_libraries(test_capi PRIVATE nlohmann_json::nlohmann_json)
iscam_test(test_capi_contrast iscam::iscam)
iscam_test(test_capi_photos iscam::iscam)
target_link_libraries(test_capi_contrast PRIVATE nlohmann_json::nlohmann_json)
target_link_libraries(test_capi_photos PRIVATE nlohmann_json::nlohmann_json)
set_target_properties(test_cpp_api PROPERTIES CXX_STANDARD 11)

add_executable(test_capi_c test_capi_c.c)
target_link_libraries(test_capi_c PRIVATE iscam::iscam)
target_compile_definitions(test_capi_c PRIVATE ISCAM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
set_target_properties(test_capi_c PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(test_capi_c PRIVATE -Wall -Wextra -pedantic -Werror)
add_test(NAME test_capi_c COMMAND test_capi_c)

if(TARGET iscam_python AND NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize")
  add_test(NAME test_python_module
           COMMAND ${ISCAM_PYTHON_EXECUTABLE} -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_SOURCE_DIR}/python
                   --ignore=${CMAKE_CURRENT_SOURCE_DIR}/python/test_from_torch.py)  # run by scripts/test-wheel.sh
  set_tests_properties(test_python_module PROPERTIES
    ENVIRONMENT "PYTHONPATH=${ISCAM_PYTHON_MODULE_DIR};ISCAM_CLI=$<TARGET_FILE:iscam>;ISCAM_SOURCE_DIR=${PROJECT_SOURCE_DIR};ISCAM_LAYER_MODELS=${CMAKE_BINARY_DIR}/test-models/layers"
    FIXTURES_REQUIRED layer_models)
endif()

add_test(NAME test_doc_links COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/test_doc_links.sh)
