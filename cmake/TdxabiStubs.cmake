# tdxabi_assemble_stub(): assembles one stub into a relocatable object the
# way its kind of project does: a GNU-as `.S` exactly as `gcc -c` would for a
# kernel developer (AT&T or `.intel_syntax noprefix`, as Rust's global_asm!),
# a `.nasm` as edk2 does (`nasm -f elf64`), so the harness loads the same kind
# of file a user hands to `tdxabi check --object`.
set(TDXABI_STUB_INCLUDE_DIR "${CMAKE_CURRENT_LIST_DIR}/../stubs/include")

function(tdxabi_assemble_stub output source)
  file(GLOB stub_headers "${TDXABI_STUB_INCLUDE_DIR}/*.h" "${TDXABI_STUB_INCLUDE_DIR}/*.inc")
  if(source MATCHES "\\.nasm$")
    add_custom_command(
      OUTPUT "${output}"
      COMMAND "${TDXABI_NASM}" -f elf64 -g -F dwarf -I "${TDXABI_STUB_INCLUDE_DIR}/"
              -o "${output}" "${source}"
      DEPENDS "${source}" ${stub_headers}
      COMMENT "Assembling ${source}"
      VERBATIM)
    return()
  endif()
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_C_COMPILER}" -c -g -D__ASSEMBLY__
            -I "${TDXABI_STUB_INCLUDE_DIR}" -o "${output}" "${source}"
    DEPENDS "${source}" ${stub_headers}
    COMMENT "Assembling ${source}"
    VERBATIM)
endfunction()
