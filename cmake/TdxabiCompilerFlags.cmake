# Compiler flags shared by every tdxabi target: the warnings we keep clean
# (errors only with TDXABI_WERROR, ON in CI and for developers, never forced on
# a user), flags only for the compiler that has them, and the optional
# ASan+UBSan build (TDXABI_SANITIZE=ON) that the whole suite must pass.
option(TDXABI_WERROR "Treat compiler warnings as errors (CI and developers)" OFF)
add_library(tdxabi_compile_flags INTERFACE)
target_compile_options(tdxabi_compile_flags INTERFACE
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wshadow -Wstrict-prototypes
                         -Wmissing-prototypes -Wformat=2 -Wvla>
  # report lines are bounded on purpose: a long detail is cut, not a warning
  $<$<AND:$<COMPILE_LANGUAGE:C>,$<C_COMPILER_ID:GNU>>:-Wno-format-truncation>)
if(TDXABI_WERROR)
  target_compile_options(tdxabi_compile_flags INTERFACE $<$<COMPILE_LANGUAGE:C>:-Werror>)
endif()
target_compile_definitions(tdxabi_compile_flags INTERFACE _POSIX_C_SOURCE=200809L)
if(TDXABI_SANITIZE)
  target_compile_options(tdxabi_compile_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(tdxabi_compile_flags INTERFACE -fsanitize=address,undefined)
endif()
option(TDXABI_FUZZ "Build the fuzz targets with libFuzzer (clang), instrumented, with ASan+UBSan" OFF)
if(TDXABI_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TDXABI_FUZZ needs clang (CC=clang): libFuzzer is clang's")
  endif()
  target_compile_options(tdxabi_compile_flags INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(tdxabi_compile_flags INTERFACE -fsanitize=address,undefined)
endif()
