# Test fixture: extracts the TDX files (only those, with tar --wildcards) of
# Debian's linux-source-6.1 and linux-source-6.12, and of the newest kernel
# source cmake/fetch-newest-linux-source.sh downloaded into NEWEST (as
# trees/linux-newest), into CACHE/trees, once per tarball; later runs reuse
# them. A tarball that is not there is reported and its tests skip.
# Usage: cmake -DCACHE=DIR [-DNEWEST=DIR] -P cmake/TdxabiLinuxTrees.cmake
if(NOT CACHE)
  message(FATAL_ERROR "TdxabiLinuxTrees.cmake: pass -DCACHE=DIR")
endif()
set(patterns
  Makefile
  arch/x86/virt/vmx/tdx/*
  arch/x86/coco/tdx/*
  arch/x86/include/asm/tdx*
  arch/x86/include/asm/shared/*
  arch/x86/kernel/asm-offsets.c)

# Extracts the TDX files under top/ of tarball into CACHE/trees/name; the
# marker names the tarball, so a new one replaces the old tree.
function(extract_tree tarball top name)
  set(tree "${CACHE}/trees/${name}")
  if(EXISTS "${tree}/.complete")
    file(READ "${tree}/.complete" extracted_from)
    if(extracted_from STREQUAL tarball)
      return()
    endif()
  endif()
  set(members "")
  foreach(pattern IN LISTS patterns)
    list(APPEND members "${top}/${pattern}")
  endforeach()
  set(staging "${CACHE}/trees/.extracting-${name}")
  file(REMOVE_RECURSE "${staging}")
  file(MAKE_DIRECTORY "${staging}")
  execute_process(COMMAND tar -xJf "${tarball}" -C "${staging}" --wildcards ${members}
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "extracting ${tarball} failed (${result})")
  endif()
  file(REMOVE_RECURSE "${tree}")
  file(RENAME "${staging}/${top}" "${tree}")
  file(REMOVE_RECURSE "${staging}")
  file(WRITE "${tree}/.complete" "${tarball}")
  message(STATUS "extracted the TDX files of ${tarball} into ${tree}")
endfunction()

foreach(version IN ITEMS 6.1 6.12)
  set(tarball "/usr/src/linux-source-${version}.tar.xz")
  if(EXISTS "${tarball}")
    extract_tree("${tarball}" "linux-source-${version}" "linux-source-${version}")
  else()
    message(STATUS "${tarball} is not installed (apt-get install linux-source-${version}): its kernel tests will skip")
  endif()
endforeach()

if(NOT NEWEST)
  set(NEWEST /var/cache/tdxabi/linux-source)
endif()
file(GLOB newest_tarballs "${NEWEST}/linux_*.orig.tar.xz")
list(SORT newest_tarballs COMPARE NATURAL ORDER DESCENDING)
if(newest_tarballs)
  list(GET newest_tarballs 0 tarball)
  string(REGEX REPLACE "^.*/linux_(.*)\\.orig\\.tar\\.xz$" "linux-\\1" top "${tarball}")
  extract_tree("${tarball}" "${top}" linux-newest)
else()
  message(STATUS "no newest kernel source in ${NEWEST} (cmake/fetch-newest-linux-source.sh downloads it): its test will skip")
endif()
