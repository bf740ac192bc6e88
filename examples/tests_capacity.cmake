# ctest cases for wfm-capacity. Included by examples/CMakeLists.txt; the same file run with
# `cmake -P` (CMAKE_SCRIPT_MODE_FILE set) is the checker of the multi-step case.
if(CMAKE_SCRIPT_MODE_FILE)
  # -DPROG=... -DDATA=examples/data -DOUT=plan.csv -DWHATIF=whatif.csv
  file(REMOVE ${OUT} ${WHATIF})
  execute_process(COMMAND ${PROG} --demand ${DATA}/capacity_demand.csv
                          --profile ${DATA}/sample_week.csv --cohorts ${DATA}/capacity_cohorts.csv
                          --classes ${DATA}/capacity_classes.csv ${ARGS}
                          --output ${OUT} --what-if ${WHATIF}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(FAIL_WHATIF)  # the what-if file cannot be written: exit 1, and the plan is not written either
    if(NOT rc EQUAL 1 OR EXISTS ${OUT} OR NOT err MATCHES "wfm-capacity: error: .*${WHATIF}")
      message(FATAL_ERROR "expected exit 1, no ${OUT} and the what-if path named; got ${rc}: ${err}")
    endif()
    return()
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "wfm-capacity failed (${rc}): ${err}")
  endif()
  file(STRINGS ${OUT} lines)
  list(LENGTH lines n)
  list(GET lines 0 header)
  if(NOT n EQUAL 53 OR NOT header MATCHES "^week,volume,aht_s,agent_time_s,fte_productive_required,shrinkage_breaks,.*,fte_required,hires,leavers,headcount,.*,fte_available,overtime,temps,fte_gap,cost$")
    message(FATAL_ERROR "unexpected plan: ${n} lines, header '${header}'")
  endif()
  file(STRINGS ${WHATIF} wl)
  list(LENGTH wl m)
  if(m LESS 6)
    message(FATAL_ERROR "what-if table too short: ${m} lines")
  endif()
  foreach(word "status       optimal" "lower bound" "gap")
    string(FIND "${err}" "${word}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "summary lacks '${word}':\n${err}")
    endif()
  endforeach()
  return()
endif()

set(_cap_data ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(_cap_args --demand ${_cap_data}/capacity_demand.csv --profile ${_cap_data}/sample_week.csv
    --cohorts ${_cap_data}/capacity_cohorts.csv --classes ${_cap_data}/capacity_classes.csv)
add_test(NAME cli:capacity:centre
  COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_capacity> -DDATA=${_cap_data}
          "-DARGS=--attrition;0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.012,0.007;--training-weeks;4;--ramp;0.5,0.5,0.5,0.5,0.75,0.75,0.75,0.75,0.9,0.9,0.9,0.9;--shrinkage-breaks;0.09;--shrinkage-meetings;0.03;--shrinkage-training;0.02;--shrinkage-absence;0.05;--scheduling-efficiency;1.05;--salary;900;--hire-cost;2500;--training-cost;1500;--overtime-cost;1350;--temp-cost;1200;--understaffing-cost;3000;--max-overtime;0.05"
          -DOUT=${CMAKE_CURRENT_BINARY_DIR}/capacity_plan.csv
          -DWHATIF=${CMAKE_CURRENT_BINARY_DIR}/capacity_whatif.csv -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME cli:capacity:nothing_half_written
  COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_capacity> -DDATA=${_cap_data}
          -DOUT=${CMAKE_CURRENT_BINARY_DIR}/capacity_plan_unwritten.csv
          -DWHATIF=${CMAKE_CURRENT_BINARY_DIR}/no_such_folder/whatif.csv -DFAIL_WHATIF=ON
          -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME cli:capacity:help COMMAND wfm_example_capacity --help)
set_tests_properties(cli:capacity:help PROPERTIES PASS_REGULAR_EXPRESSION
  "--demand.*--cohorts.*--attrition.*--ramp.*--gap-tolerance.*--what-if")
add_test(NAME cli:capacity:bad_attrition COMMAND wfm_example_capacity ${_cap_args} --attrition 1.2)
set_tests_properties(cli:capacity:bad_attrition PROPERTIES PASS_REGULAR_EXPRESSION
  "supply.attrition\\[0\\]")
add_test(NAME cli:capacity:uncoverable   # 20 agents, 4 training weeks: weeks 0-3 cannot be covered
  COMMAND wfm_example_capacity --demand ${_cap_data}/capacity_demand.csv
          --profile ${_cap_data}/sample_week.csv --cohorts ${_cap_data}/capacity_cohorts_small.csv
          --classes ${_cap_data}/capacity_classes.csv --training-weeks 4 -o -)
set_tests_properties(cli:capacity:uncoverable PROPERTIES PASS_REGULAR_EXPRESSION
  "status       infeasible.*weeks 0, 1, 2, 3[,. ]")
set_tests_properties(cli:capacity:centre cli:capacity:help cli:capacity:bad_attrition
  cli:capacity:uncoverable cli:capacity:nothing_half_written PROPERTIES LABELS cli)
