# ctest cases for wfm-kpi. Included by examples/CMakeLists.txt; the same file run with
# `cmake -P` (CMAKE_SCRIPT_MODE_FILE set) checks a bad log: exit code 2, nothing written.
if(CMAKE_SCRIPT_MODE_FILE)
  file(REMOVE ${OUT})
  execute_process(COMMAND ${PROG} --contacts ${INPUT} --output ${OUT}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 2)
    message(FATAL_ERROR "expected exit code 2 (bad input), got ${rc}: ${err}")
  endif()
  if(EXISTS ${OUT})
    message(FATAL_ERROR "an output was written for a bad log")
  endif()
  string(FIND "${err}" "line 5, column 'wait_s': a duration must be >= 0" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the message does not name the row: ${err}")
  endif()
  return()
endif()
set(_kpi_data ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(_kpi_out ${CMAKE_CURRENT_BINARY_DIR}/kpi_out)
file(MAKE_DIRECTORY ${_kpi_out})
# The bundled morning (shuffled rows) with staffing: 16 interval rows, vocabulary header.
add_test(NAME cli:kpi:sample
  COMMAND wfm_example_kpi --contacts ${_kpi_data}/kpi_contacts.csv
          --agents ${_kpi_data}/kpi_agents.csv --target-time 20 --target-time 60
          --fcr-window-days 0.05 --summary ${_kpi_out}/summary.json --output -)
set_tests_properties(cli:kpi:sample PROPERTIES PASS_REGULAR_EXPRESSION
  "timestamp,interval_length_s,volume,answered,abandoned,short_abandoned,abandon_rate,abandon_rate_net,aht_s,asa_s,asa_all_s,service_level_answered_within_20s,[^\n]*,staffed_s,occupancy\n2026-03-02 08:00,900,[^\n]*\n(2026-03-02 [^\n]*\n)+.*wfm-kpi: 713 contacts, 17 intervals")
# A negative wait: exit code 2 (wfm::exit_code::bad_input), the message names file, line, column.
add_test(NAME cli:kpi:bad_row
  COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_kpi>
          -DINPUT=${_kpi_data}/kpi_contacts_bad.csv -DOUT=${_kpi_out}/bad.csv
          -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME cli:kpi:bad_definition
  COMMAND wfm_example_kpi --contacts ${_kpi_data}/kpi_contacts.csv --definition nonsense)
set_tests_properties(cli:kpi:bad_definition PROPERTIES WILL_FAIL TRUE)
set_tests_properties(cli:kpi:sample cli:kpi:bad_row cli:kpi:bad_definition PROPERTIES LABELS cli)
