# ctest cases for wfm-staff. Included by examples/CMakeLists.txt; the same file run with
# `cmake -P` (CMAKE_SCRIPT_MODE_FILE set) is the checker of the multi-step cases.
if(CMAKE_SCRIPT_MODE_FILE)
  # -DPROG=... -DMODE=sample|bad -DINPUT=... -DOUT=...
  file(REMOVE ${OUT})
  execute_process(COMMAND ${PROG} ${INPUT} --output ${OUT} --summary --shrinkage 0.3
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(MODE STREQUAL "sample")
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "wfm-staff failed (${rc}): ${err}")
    endif()
    file(STRINGS ${OUT} lines)
    list(LENGTH lines n)
    list(GET lines 0 header)
    if(NOT n EQUAL 385 OR NOT header STREQUAL
       "start,volume,aht_s,agents,scheduled_agents,sl,asa_s,abandon,occupancy,status")
      message(FATAL_ERROR "unexpected output: ${n} lines, header '${header}'")
    endif()
    foreach(word "total volume" "peak agents" "agent-hours required" "agent-hours scheduled"
            "weighted SL" "weighted ASA" "weighted abandon" "intervals infeasible    0")
      string(FIND "${err}" "${word}" at)
      if(at EQUAL -1)
        message(FATAL_ERROR "summary lacks '${word}':\n${err}")
      endif()
    endforeach()
    file(READ ${OUT} text)
    string(FIND "${text}" ",infeasible" bad)
    if(NOT bad EQUAL -1)
      message(FATAL_ERROR "an interval of the sample week is infeasible")
    endif()
  else()  # a bad row: exit code 2, the line number in the message, no output file
    if(NOT rc EQUAL 2)
      message(FATAL_ERROR "expected exit code 2, got ${rc}: ${err}")
    endif()
    string(FIND "${err}" "line 13" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "the error does not name line 13: ${err}")
    endif()
    if(EXISTS ${OUT})
      message(FATAL_ERROR "an output file was left behind: ${OUT}")
    endif()
  endif()
  return()
endif()

set(_staff_data ${CMAKE_CURRENT_SOURCE_DIR}/data)
add_test(NAME cli:staff:sample_week
  COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_staff> -DMODE=sample
          -DINPUT=${_staff_data}/sample_week.csv -DOUT=${CMAKE_CURRENT_BINARY_DIR}/staff_week.csv
          -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME cli:staff:bad_row
  COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_staff> -DMODE=bad
          -DINPUT=${_staff_data}/sample_week_bad.csv -DOUT=${CMAKE_CURRENT_BINARY_DIR}/staff_bad.csv
          -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME cli:staff:help COMMAND wfm_example_staff --help)
set_tests_properties(cli:staff:help PROPERTIES PASS_REGULAR_EXPRESSION
  "--shrinkage.*--max-agents.*--fractional.*--summary")
add_test(NAME cli:staff:erlang_c_stdout
  COMMAND wfm_example_staff ${_staff_data}/sample_week.csv --model erlang_c --sl 0.9 --target 15
          --asa 10 --occupancy 0.9 --output -)
set_tests_properties(cli:staff:erlang_c_stdout PROPERTIES PASS_REGULAR_EXPRESSION
  "^start,volume,aht_s,agents,scheduled_agents,sl,asa_s,abandon,occupancy,status\n2026-03-02 07:00,50,")
add_test(NAME cli:staff:bad_flag COMMAND wfm_example_staff ${_staff_data}/sample_week.csv --sl 1.5)
set_tests_properties(cli:staff:bad_flag PROPERTIES WILL_FAIL TRUE)
add_test(NAME cli:staff:bad_spacing   # 15-minute rows declared as 30-minute intervals
  COMMAND wfm_example_staff ${_staff_data}/sample_week.csv --interval-minutes 30)
set_tests_properties(cli:staff:bad_spacing PROPERTIES PASS_REGULAR_EXPRESSION
  "sample_week.csv, line 3, column 'start': starts 15 min after")
set_tests_properties(cli:staff:sample_week cli:staff:bad_row cli:staff:help
  cli:staff:erlang_c_stdout cli:staff:bad_flag cli:staff:bad_spacing PROPERTIES LABELS cli)
