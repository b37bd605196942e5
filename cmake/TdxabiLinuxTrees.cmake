# Test fixture: extracts the TDX files of Debian's linux-source-6.1 and
# linux-source-6.12 (only those, with tar --wildcards) into CACHE/trees, once;
# later runs reuse them. A package that is not installed is reported and its
# tests skip. Usage: cmake -DCACHE=DIR -P cmake/TdxabiLinuxTrees.cmake
if(NOT CACHE)
  message(FATAL_ERROR "TdxabiLinuxTrees.cmake: pass -DCACHE=DIR")
endif()
set(patterns
  Makefile
  arch/x86/virt/vmx/tdx/*
  arch/x86/coco/tdx/*
  arch/x86/include/asm/tdx.h
  arch/x86/include/asm/shared/*
  arch/x86/kernel/asm-offsets.c)
foreach(version IN ITEMS 6.1 6.12)
  set(tarball "/usr/src/linux-source-${version}.tar.xz")
  set(tree "${CACHE}/trees/linux-source-${version}")
  if(EXISTS "${tree}/.complete")
    continue()
  endif()
  if(NOT EXISTS "${tarball}")
    message(STATUS "${tarball} is not installed (apt-get install linux-source-${version}): its kernel tests will skip")
    continue()
  endif()
  set(members "")
  foreach(pattern IN LISTS patterns)
    list(APPEND members "linux-source-${version}/${pattern}")
  endforeach()
  set(staging "${CACHE}/trees/.extracting-${version}")
  file(REMOVE_RECURSE "${staging}")
  file(MAKE_DIRECTORY "${staging}")
  execute_process(COMMAND tar -xJf "${tarball}" -C "${staging}" --wildcards ${members}
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "extracting ${tarball} failed (${result})")
  endif()
  file(REMOVE_RECURSE "${tree}")
  file(RENAME "${staging}/linux-source-${version}" "${tree}")
  file(REMOVE_RECURSE "${staging}")
  file(TOUCH "${tree}/.complete")
  message(STATUS "extracted the TDX files of ${tarball} into ${tree}")
endforeach()
