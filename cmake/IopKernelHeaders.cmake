# SPDX-License-Identifier: MIT
# The kernel's own headers (<asm/unistd.h>, <linux/...>), for what needs
# them: the architecture self-check compares the library's system call
# numbers with the kernel's.  A compiler that sees them (gcc or clang over
# glibc) needs nothing.  One that does not (Debian's musl-gcc sees musl's
# headers alone) is given a directory of links to the system's linux/, asm/
# and asm-generic/ and nothing else: never another C library's headers.
# When there are none, what needs them is left out, and configure says so.
#
# Sets IOP_KERNEL_HEADERS_FOUND, and IOP_KERNEL_HEADERS_INCLUDE: the
# directory to add (empty when the compiler sees them itself).
include(CheckIncludeFile)

check_include_file(asm/unistd.h IOP_CC_SEES_KERNEL_HEADERS)
set(IOP_KERNEL_HEADERS_INCLUDE "")
set(IOP_KERNEL_HEADERS_FOUND ${IOP_CC_SEES_KERNEL_HEADERS})
if(NOT IOP_CC_SEES_KERNEL_HEADERS)
  # asm/ is per architecture: Debian's multiarch directory, or /usr/include
  set(iop_asm_dirs)
  if(CMAKE_LIBRARY_ARCHITECTURE)
    list(APPEND iop_asm_dirs /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
  endif()
  if(NOT CMAKE_CROSSCOMPILING)
    execute_process(COMMAND gcc -print-multiarch OUTPUT_VARIABLE iop_multiarch
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE iop_multiarch_rc)
    if(iop_multiarch_rc EQUAL 0 AND iop_multiarch)
      list(APPEND iop_asm_dirs /usr/include/${iop_multiarch})
    endif()
    list(APPEND iop_asm_dirs /usr/include/${CMAKE_SYSTEM_PROCESSOR}-linux-gnu /usr/include)
  endif()
  find_path(IOP_KERNEL_ASM_DIR asm/unistd.h PATHS ${iop_asm_dirs} NO_DEFAULT_PATH)
  find_path(IOP_KERNEL_LINUX_DIR linux/ioprio.h PATHS /usr/include NO_DEFAULT_PATH)
  if(IOP_KERNEL_ASM_DIR AND IOP_KERNEL_LINUX_DIR AND IS_DIRECTORY ${IOP_KERNEL_LINUX_DIR}/asm-generic)
    set(iop_links ${CMAKE_BINARY_DIR}/kernel-headers)
    file(MAKE_DIRECTORY ${iop_links})
    foreach(pair "linux;${IOP_KERNEL_LINUX_DIR}/linux" "asm;${IOP_KERNEL_ASM_DIR}/asm"
                 "asm-generic;${IOP_KERNEL_LINUX_DIR}/asm-generic")
      list(GET pair 0 name)
      list(GET pair 1 target)
      file(REMOVE ${iop_links}/${name})
      file(CREATE_LINK ${target} ${iop_links}/${name} SYMBOLIC)
    endforeach()
    # the compiler must take them as they are
    set(CMAKE_REQUIRED_INCLUDES ${iop_links})
    check_include_file(asm/unistd.h IOP_KERNEL_HEADERS_LINKED)
    unset(CMAKE_REQUIRED_INCLUDES)
    if(IOP_KERNEL_HEADERS_LINKED)
      set(IOP_KERNEL_HEADERS_FOUND ON)
      set(IOP_KERNEL_HEADERS_INCLUDE ${iop_links})
      message(STATUS "Kernel headers: ${CMAKE_C_COMPILER} does not see them; "
                     "using ${IOP_KERNEL_LINUX_DIR}/linux and ${IOP_KERNEL_ASM_DIR}/asm")
    endif()
  endif()
  if(NOT IOP_KERNEL_HEADERS_FOUND)
    message(STATUS "Kernel headers: not found for ${CMAKE_C_COMPILER}: the architecture "
                   "self-check (arch-native-*) is left out; install them (Debian: "
                   "linux-libc-dev) or name their directory in CFLAGS (-isystem DIR)")
  endif()
endif()
