# Finds Unicorn 2, Capstone 4, elfutils' libdw (DWARF line tables),
# libcrypto (OpenSSL, for SHA-256) and cmocka through pkg-config (none of them ships a usable CMake target on Debian
# bookworm) and names the Debian package when one is missing.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "tdxabi needs pkg-config to find its libraries: apt-get install pkg-config")
endif()

function(tdxabi_require_package prefix module debian_package)
  pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR
      "tdxabi needs ${module} (pkg-config module '${module}' not found): "
      "apt-get install ${debian_package}")
  endif()
  message(STATUS "Found ${module} ${${prefix}_VERSION}")
endfunction()

tdxabi_require_package(UNICORN "unicorn>=2.0" libunicorn-dev)
tdxabi_require_package(CAPSTONE "capstone>=4.0" libcapstone-dev)
tdxabi_require_package(LIBDW "libdw>=0.176" libdw-dev)
tdxabi_require_package(LIBCRYPTO "libcrypto>=1.1" libssl-dev)
if(TDXABI_BUILD_TESTS)
  tdxabi_require_package(CMOCKA "cmocka>=1.1" libcmocka-dev)
endif()

# NASM assembles the firmware-style reference stubs (MS x64, as edk2 writes them).
find_program(TDXABI_NASM nasm)
if(NOT TDXABI_NASM)
  message(FATAL_ERROR "tdxabi needs NASM for its firmware reference stubs: apt-get install nasm")
endif()
message(STATUS "Found NASM: ${TDXABI_NASM}")
