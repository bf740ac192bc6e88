# Optional HiGHS back end of wfm::schedule (issue 15): -DWFM_WITH_HIGHS=ON.
#
# HiGHS comes from PyPI's `highsbox` wheel (pip install highsbox; Debian 12 has no HiGHS package).
# Where it is: -DHIGHS_DIR=<the wheel's highs_dist folder> (or any HiGHS install prefix), else the
# answer of `${WFM_HIGHS_PYTHON} -c "import highsbox; print(highsbox.highs_dist_dir())"`
# (WFM_HIGHS_PYTHON defaults to Python_EXECUTABLE, else python3).
#
# wfm uses HiGHS's C API only (interfaces/highs_c_api.h): the wheel's libhighs.so is built with the
# old libstdc++ string ABI (_GLIBCXX_USE_CXX11_ABI=0, manylinux), so its C++ entry points taking
# std::string do not link with Debian's GCC 12; plain C types do.
#
# The package config of highsbox 1.15.1 is not usable as it is: highs-targets-release.cmake names
# lib64/libhighs.so while the wheel ships lib/libhighs.so, and highs-config.cmake requires a BLAS.
# So find_package(highs CONFIG) is used only for an install whose config matches its files; for the
# wheel, wfm declares the imported target highs::highs itself. The library's directory becomes the
# build-tree RPATH of every program, the tests and the Python module (CMake adds it for an imported
# library with a full path), so nothing needs LD_LIBRARY_PATH.
if(NOT WFM_WITH_HIGHS)
  return()
endif()

if(NOT HIGHS_DIR)
  if(NOT WFM_HIGHS_PYTHON)
    if(Python_EXECUTABLE)
      set(WFM_HIGHS_PYTHON ${Python_EXECUTABLE})
    else()
      set(WFM_HIGHS_PYTHON python3)
    endif()
  endif()
  execute_process(COMMAND ${WFM_HIGHS_PYTHON} -c "import highsbox; print(highsbox.highs_dist_dir())"
                  OUTPUT_VARIABLE _wfm_highs_root OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE _wfm_highs_rc ERROR_QUIET)
  if(_wfm_highs_rc EQUAL 0 AND EXISTS ${_wfm_highs_root})
    set(HIGHS_DIR ${_wfm_highs_root} CACHE PATH "HiGHS install prefix (highsbox's highs_dist)")
  endif()
endif()
# HIGHS_DIR may also name the config folder itself (lib/cmake/highs): go up to the prefix.
if(HIGHS_DIR AND EXISTS ${HIGHS_DIR}/highs-config.cmake)
  get_filename_component(_wfm_highs_prefix ${HIGHS_DIR}/../../.. ABSOLUTE)
else()
  set(_wfm_highs_prefix ${HIGHS_DIR})
endif()

if(_wfm_highs_prefix AND EXISTS ${_wfm_highs_prefix}/lib/libhighs.so
   AND NOT EXISTS ${_wfm_highs_prefix}/lib64/libhighs.so)
  # The wheel's layout (see above).
  add_library(highs::highs SHARED IMPORTED GLOBAL)
  set_target_properties(highs::highs PROPERTIES
    IMPORTED_LOCATION ${_wfm_highs_prefix}/lib/libhighs.so
    IMPORTED_SONAME libhighs.so
    INTERFACE_INCLUDE_DIRECTORIES "${_wfm_highs_prefix}/include/highs;${_wfm_highs_prefix}/include")
else()
  find_package(highs CONFIG REQUIRED HINTS ${_wfm_highs_prefix})
endif()
if(NOT EXISTS ${_wfm_highs_prefix}/include/highs/interfaces/highs_c_api.h AND _wfm_highs_prefix)
  message(FATAL_ERROR "WFM_WITH_HIGHS: no include/highs/interfaces/highs_c_api.h under "
                      "HIGHS_DIR=${_wfm_highs_prefix}")
endif()
message(STATUS "wfm: HiGHS back end from ${_wfm_highs_prefix}")
