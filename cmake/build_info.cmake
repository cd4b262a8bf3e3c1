# Writes the build information source file at BUILD time (cmake -P), so a run
# file never carries the sha of an older commit after an incremental build.
# The file is rewritten only when its text changes (configure_file compares),
# so an unchanged tree rebuilds nothing.
#
# usage: cmake -DSOURCE_DIR=... -DOUTPUT=... -DVERSION=... [-DGIT=/usr/bin/git] -P build_info.cmake
set(describe "unknown")
# A tarball has no .git: the description stays "unknown".
if(GIT AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT}" describe --tags --always --dirty
    WORKING_DIRECTORY "${SOURCE_DIR}"
    OUTPUT_VARIABLE out OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET RESULT_VARIABLE rc)
  if(rc EQUAL 0 AND NOT out STREQUAL "")
    set(describe "${out}")
  endif()
endif()
# Keep the C++ string literal well formed whatever a tag name holds.
string(REPLACE "\\" "\\\\" describe "${describe}")
string(REPLACE "\"" "\\\"" describe "${describe}")
set(TSIM_BUILD_VERSION "${VERSION}")
set(TSIM_GIT_DESCRIBE "${describe}")
configure_file("${CMAKE_CURRENT_LIST_DIR}/build_info.cpp.in" "${OUTPUT}" @ONLY)
