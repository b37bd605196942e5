# The README's test command: `cmake -P cmake/TdxabiTest.cmake`. Configures,
# builds (warnings are errors here) and runs every CTest suite three times: gcc
# Release in build/, clang in build-clang/ (when installed) and the ASan+UBSan
# build build-sanitize/; then, with clang, fuzzes each libFuzzer target for a
# minute in build-fuzz/; fails on the first step that fails.
get_filename_component(source "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

function(run_step)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${source}" RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " command "${ARGN}")
    message(FATAL_ERROR "tdxabi tests: '${command}' failed (${result})")
  endif()
endfunction()

find_program(clang_compiler clang)
set(variants build build-sanitize)
if(clang_compiler)
  list(INSERT variants 1 build-clang)
else()
  message(STATUS "tdxabi tests: clang is not installed (apt-get install clang): build-clang skipped")
endif()
foreach(variant IN LISTS variants)
  set(options -DTDXABI_WERROR=ON)
  if(variant STREQUAL "build")
    list(APPEND options -DCMAKE_BUILD_TYPE=Release)
  elseif(variant STREQUAL "build-clang")
    list(APPEND options -DCMAKE_C_COMPILER=${clang_compiler} -DCMAKE_ASM_COMPILER=${clang_compiler}
         -DCMAKE_BUILD_TYPE=RelWithDebInfo)
  else()
    list(APPEND options -DTDXABI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  endif()
  message(STATUS "tdxabi tests: ${variant}")
  run_step("${CMAKE_COMMAND}" -S "${source}" -B "${source}/${variant}" ${options})
  run_step("${CMAKE_COMMAND}" --build "${source}/${variant}" --parallel 2)
  run_step("${CMAKE_CTEST_COMMAND}" --test-dir "${source}/${variant}" --output-on-failure)
endforeach()
# then, with clang, the libFuzzer targets fuzz for about a minute each
if(clang_compiler)
  message(STATUS "tdxabi tests: build-fuzz")
  run_step("${CMAKE_COMMAND}" -S "${source}" -B "${source}/build-fuzz" -DTDXABI_WERROR=ON
           -DTDXABI_FUZZ=ON -DCMAKE_C_COMPILER=${clang_compiler}
           -DCMAKE_ASM_COMPILER=${clang_compiler} -DCMAKE_BUILD_TYPE=RelWithDebInfo)
  run_step("${CMAKE_COMMAND}" --build "${source}/build-fuzz" --parallel 2)
  run_step("${CMAKE_CTEST_COMMAND}" --test-dir "${source}/build-fuzz" --output-on-failure
           -R "^fuzz_")
  list(APPEND variants build-fuzz)
endif()
string(REPLACE ";" "/, " built "${variants}")
message(STATUS "tdxabi tests: all passed in ${built}/")
