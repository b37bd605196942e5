# Test: builds Debian's 6.12 TDX stubs exactly as the kernel ships them
# (x86_64_defconfig + INTEL_TDX_GUEST/HOST, `make .../seamcall.o .../tdcall.o`:
# return thunks, .noinstr.text, IBT; objtool is deferred to vmlinux.o under
# IBT, so these objects are the assembler's), then checks them with tdxabi:
# --object with the binding found from the symbols, and --linux, which matches
# each kbuild function to the shim variant with the same code and the same
# verdicts. The extracted, configured tree is kept in CACHE for later runs.
# Prints "TDXABI-KBUILD-SKIPPED" (the test's skip pattern) when the package
# or a build tool is missing.
#   cmake -DCACHE=DIR -DTDXABI=path/to/tdxabi -P cmake/TdxabiKbuild.cmake
set(tarball "/usr/src/linux-source-6.12.tar.xz")
set(tree "${CACHE}/kbuild/linux-source-6.12")
if(NOT EXISTS "${tarball}")
  message("TDXABI-KBUILD-SKIPPED: ${tarball} is not installed (apt-get install linux-source-6.12)")
  return()
endif()
foreach(tool IN ITEMS make bc flex bison)
  find_program(found_${tool} ${tool})
  if(NOT found_${tool})
    message("TDXABI-KBUILD-SKIPPED: ${tool} is not installed (apt-get install bc flex bison libelf-dev libssl-dev)")
    return()
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} WORKING_DIRECTORY "${tree}" RESULT_VARIABLE result
                  OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "kbuild test: ${what} failed (${result}):\n${output}")
  endif()
  set(run_output "${output}" PARENT_SCOPE)
endfunction()

if(NOT EXISTS "${tree}/.tdxabi-extracted")
  file(REMOVE_RECURSE "${CACHE}/kbuild")
  file(MAKE_DIRECTORY "${CACHE}/kbuild")
  execute_process(COMMAND tar -xJf "${tarball}" -C "${CACHE}/kbuild" RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "kbuild test: extracting ${tarball} failed")
  endif()
  file(TOUCH "${tree}/.tdxabi-extracted")
endif()
if(NOT EXISTS "${tree}/.tdxabi-configured-2")
  run("make x86_64_defconfig" make -s x86_64_defconfig)
  # INTEL_TDX_HOST depends on CONTIG_ALLOC (here through CMA) and !KEXEC_CORE
  run("scripts/config" ./scripts/config -e INTEL_TDX_GUEST -e KVM -e KVM_INTEL -e X86_X2APIC -e CMA
      -d KEXEC -d KEXEC_FILE -d CRASH_DUMP -d KEXEC_CORE -e INTEL_TDX_HOST)
  run("make olddefconfig" make -s olddefconfig)
  file(STRINGS "${tree}/.config" enabled REGEX "^CONFIG_INTEL_TDX_(GUEST|HOST)=y$")
  list(LENGTH enabled enabled_count)
  if(NOT enabled_count EQUAL 2)
    message(FATAL_ERROR "kbuild test: the configuration did not enable INTEL_TDX_GUEST and INTEL_TDX_HOST (${enabled})")
  endif()
  file(TOUCH "${tree}/.tdxabi-configured-2")
endif()
run("make the stub objects" make -s -j2 arch/x86/virt/vmx/tdx/seamcall.o arch/x86/coco/tdx/tdcall.o)

foreach(object IN ITEMS arch/x86/virt/vmx/tdx/seamcall.o arch/x86/coco/tdx/tdcall.o)
  run("tdxabi check --object ${object}" "${TDXABI}" check --object "${tree}/${object}")
  if(NOT run_output MATCHES "summary: 3 stubs, [0-9]+ cases: [0-9]+ pass, 0 fail")
    message(FATAL_ERROR "kbuild test: ${object} did not pass:\n${run_output}")
  endif()
endforeach()
run("tdxabi check --linux" "${TDXABI}" check --linux "${tree}" --cache "${CACHE}/builds")
message("${run_output}")
# (the report's own semicolons would split a list: count a phrase without one)
string(REGEX MATCHALL "as \\.config predicts" predicted "${run_output}")
string(REGEX MATCHALL "pass 0 fail, the same as that variant" same "${run_output}")
list(LENGTH predicted predicted_count)
list(LENGTH same same_count)
if(NOT predicted_count EQUAL 6 OR NOT same_count EQUAL 6 OR run_output MATCHES "DIFFERENT|NOT what|no shim variant")
  message(FATAL_ERROR "kbuild test: expected the 6 kbuild functions to have the code of the variant their .config predicts, and its verdicts")
endif()
