# The README's test command: `cmake -P cmake/TdxabiTest.cmake`. Configures,
# builds and runs every CTest suite twice, in build/ and in the ASan+UBSan
# build build-sanitize/, and fails on the first step that fails.
get_filename_component(source "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

function(run_step)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${source}" RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "tdxabi tests: '${command}' failed (${result})")
  endif()
endfunction()

foreach(variant IN ITEMS build build-sanitize)
  set(options "")
  if(variant STREQUAL "build-sanitize")
    set(options -DTDXABI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  endif()
  message(STATUS "tdxabi tests: ${variant}")
  run_step("${CMAKE_COMMAND}" -S "${source}" -B "${source}/${variant}" ${options})
  run_step("${CMAKE_COMMAND}" --build "${source}/${variant}" --parallel 2)
  run_step("${CMAKE_CTEST_COMMAND}" --test-dir "${source}/${variant}" --output-on-failure)
endforeach()
message(STATUS "tdxabi tests: all passed in build/ and build-sanitize/")
