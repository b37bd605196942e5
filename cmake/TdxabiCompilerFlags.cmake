# Compiler flags shared by every tdxabi target: warnings are errors, and the
# optional ASan+UBSan build (TDXABI_SANITIZE=ON) that the whole suite must pass.
add_library(tdxabi_compile_flags INTERFACE)
target_compile_options(tdxabi_compile_flags INTERFACE
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
                         -Wmissing-prototypes -Wformat=2 -Wvla
                         # report lines are bounded on purpose: a long detail is cut, not an error
                         -Wno-format-truncation>)
target_compile_definitions(tdxabi_compile_flags INTERFACE _POSIX_C_SOURCE=200809L)
if(TDXABI_SANITIZE)
  target_compile_options(tdxabi_compile_flags INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(tdxabi_compile_flags INTERFACE -fsanitize=address,undefined)
endif()
