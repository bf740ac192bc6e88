# Every dependency wfm builds against, all from Debian 12 (scripts/setup.sh installs them).
# Shared by the build and by the installed wfmConfig.cmake, so consumers find the same targets.
include(CMakeFindDependencyMacro)
find_dependency(Threads)
find_dependency(Boost 1.74 CONFIG)            # libboost-math-dev: special functions (headers only)
find_dependency(fmt 9 CONFIG)                 # libfmt-dev: messages and CSV output
find_dependency(Eigen3 3.4 CONFIG)            # libeigen3-dev: SVD and small least squares
find_dependency(NLopt CONFIG)                 # libnlopt-cxx-dev: forecast model fitting
find_dependency(TBB CONFIG)                   # libtbb-dev: parallel loops
find_dependency(PkgConfig)
if(NOT TARGET PkgConfig::WFM_CBC)            # coinor-libcbc-dev / coinor-libclp-dev: LP and MIP
  pkg_check_modules(WFM_CBC REQUIRED IMPORTED_TARGET GLOBAL cbc clp)
endif()
# Debian's libnlopt-cxx-dev names its target NLopt::nlopt_cxx; upstream builds name it NLopt::nlopt.
if(TARGET NLopt::nlopt_cxx AND NOT TARGET NLopt::nlopt)
  add_library(NLopt::nlopt INTERFACE IMPORTED GLOBAL)
  target_link_libraries(NLopt::nlopt INTERFACE NLopt::nlopt_cxx)
endif()
