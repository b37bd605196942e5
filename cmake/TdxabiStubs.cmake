# tdxabi_assemble_stub(): assembles one GNU-as stub into a relocatable object
# exactly as `gcc -c` would for a kernel developer, so the harness loads the
# same kind of file a user hands to `tdxabi check --object`.
set(TDXABI_STUB_INCLUDE_DIR "${CMAKE_CURRENT_LIST_DIR}/../stubs/include")

function(tdxabi_assemble_stub output source)
  file(GLOB stub_headers "${TDXABI_STUB_INCLUDE_DIR}/*.h")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_C_COMPILER}" -c -g -D__ASSEMBLY__
            -I "${TDXABI_STUB_INCLUDE_DIR}" -o "${output}" "${source}"
    DEPENDS "${source}" ${stub_headers}
    COMMENT "Assembling ${source}"
    VERBATIM)
endfunction()
