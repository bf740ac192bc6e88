# Runs one command and checks its exit code exactly, and optionally its output:
#   cmake -DCMD=prog@@arg@@... -DRC=<exit code> [-DOUT=<regex>] [-DERR=<regex>]
#         [-DABSENT=<file that must not exist afterwards>] [-DSTDOUT=<file for standard output>]
#         -P check_run.cmake
# (arguments are separated by "@@" because ';' would split them in add_test).
string(REPLACE "@@" ";" cmd "${CMD}")
if(DEFINED ABSENT)
  file(REMOVE ${ABSENT})
endif()
if(DEFINED STDOUT)
  execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_FILE ${STDOUT} ERROR_VARIABLE err)
  set(out "")
else()
  execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
endif()
if(NOT "${rc}" STREQUAL "${RC}")
  message(FATAL_ERROR "exit code ${rc}, expected ${RC}\nstdout: ${out}\nstderr: ${err}")
endif()
if(DEFINED OUT AND NOT out MATCHES "${OUT}")
  message(FATAL_ERROR "stdout does not match '${OUT}':\n${out}")
endif()
if(DEFINED ERR AND NOT err MATCHES "${ERR}")
  message(FATAL_ERROR "stderr does not match '${ERR}':\n${err}")
endif()
if(DEFINED ABSENT AND EXISTS ${ABSENT})
  message(FATAL_ERROR "${ABSENT} was written")
endif()
