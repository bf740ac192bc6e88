# The chained-programs test (issue 9): wfm-forecast -> wfm-staff -> wfm-schedule ->
# wfm-simulate, run by hand and chained through files with no renaming, on a week with closed
# hours (05:00-07:00 daily); then checked by timestamp. Data: examples/data/chain/ (made by
# make_chain_week.py there). Included by examples/CMakeLists.txt; run with `cmake -P` it is the
# test itself.
if(CMAKE_SCRIPT_MODE_FILE)
  cmake_policy(VERSION 3.25)  # cmake -P starts with old policies (IN_LIST needs CMP0057)
  # -DBIN=<dir of the programs> -DDATA=<examples/data/chain/<zone dir>> -DMODEL=<shifts.json>
  # -DWORK=<output dir> [-DZONE=<IANA zone>] [-DREPEATED=<timestamp that must occur twice,
  # as two offsets "a|b">]
  file(REMOVE_RECURSE ${WORK})
  file(MAKE_DIRECTORY ${WORK})
  set(tz)
  if(DEFINED ZONE)
    set(tz --time-zone ${ZONE})
  endif()
  function(step name)
    execute_process(COMMAND ${ARGN} ${tz} --quiet RESULT_VARIABLE rc OUTPUT_VARIABLE out
                    ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${name} failed with exit code ${rc}:\n${out}\n${err}")
    endif()
  endfunction()
  step(wfm-forecast ${BIN}/wfm-forecast -i ${DATA}/history.csv --at ${DATA}/at.csv
       --level 0.8 -o ${WORK}/forecast.csv)
  step(wfm-staff ${BIN}/wfm-staff -i ${WORK}/forecast.csv --patience 180 --service-level 0.8
       --target-time 20 -o ${WORK}/staff.csv)
  step(wfm-schedule ${BIN}/wfm-schedule --model ${MODEL} -i ${WORK}/staff.csv --time-limit 10
       --seed 1 -o ${WORK}/shifts.csv --coverage ${WORK}/coverage.csv)
  step(wfm-simulate ${BIN}/wfm-simulate -i ${WORK}/coverage.csv --replications 8 --seed 1
       --threads 1 -o ${WORK}/simulation.csv)

  # read_csv(<file> <prefix>): <prefix>_header (list), <prefix>_n, <prefix>_<i> (row i as a list)
  macro(read_csv file prefix)
    file(STRINGS ${file} _lines)
    list(POP_FRONT _lines _h)
    string(REPLACE "," ";" ${prefix}_header "${_h}")
    list(LENGTH _lines ${prefix}_n)
    set(_i 0)
    foreach(_l IN LISTS _lines)
      string(REPLACE "," ";" ${prefix}_${_i} "${_l}")
      math(EXPR _i "${_i} + 1")
    endforeach()
  endmacro()
  # cell(<prefix> <row> <column name> <out var>)
  macro(cell prefix row name var)
    list(FIND ${prefix}_header ${name} _c)
    if(_c EQUAL -1)
      message(FATAL_ERROR "${prefix}: no column '${name}' in '${${prefix}_header}'")
    endif()
    list(GET ${prefix}_${row} ${_c} ${var})
  endmacro()

  read_csv(${DATA}/at.csv at)
  read_csv(${WORK}/forecast.csv fc)
  read_csv(${WORK}/staff.csv st)
  read_csv(${WORK}/coverage.csv cv)
  read_csv(${WORK}/simulation.csv sim)
  foreach(p fc st cv sim)
    if(NOT ${p}_n EQUAL at_n)
      message(FATAL_ERROR "${p}: ${${p}_n} rows, the planned week has ${at_n} open intervals")
    endif()
  endforeach()
  math(EXPR last "${at_n} - 1")
  set(repeated 0)
  foreach(i RANGE ${last})
    cell(at ${i} timestamp t)
    foreach(p fc st cv sim)  # every file has the same timestamp in row i
      cell(${p} ${i} timestamp tp)
      if(NOT tp STREQUAL t)
        message(FATAL_ERROR "${p}, row ${i}: timestamp '${tp}', expected '${t}'")
      endif()
    endforeach()
    if(t MATCHES "[ T]0[56]:")
      message(FATAL_ERROR "closed interval ${t} present")
    endif()
    if(DEFINED REPEATED AND t MATCHES "${REPEATED}")
      math(EXPR repeated "${repeated} + 1")
    endif()
    # The chain carries the same numbers with no renaming.
    foreach(pair "fc volume st volume" "fc aht_s st aht_s" "st volume cv volume"
            "st aht_s cv aht_s" "st patience_s cv patience_s" "st agents_required cv agents_required"
            "cv agents sim agents")
      separate_arguments(pair)
      list(GET pair 0 pa)
      list(GET pair 1 ca)
      list(GET pair 2 pb)
      list(GET pair 3 cb)
      cell(${pa} ${i} ${ca} va)
      cell(${pb} ${i} ${cb} vb)
      if(NOT va EQUAL vb)
        message(FATAL_ERROR "${t}: ${pa}.${ca} = ${va} but ${pb}.${cb} = ${vb}")
      endif()
    endforeach()
    cell(cv ${i} agents cov)
    cell(cv ${i} agents_required req)
    if(cov LESS req)
      message(FATAL_ERROR "${t}: coverage ${cov} < requirement ${req}")
    endif()
    cell(sim ${i} service_level sl)
    if(NOT sl MATCHES "^[0-9.e+-]+$")
      message(FATAL_ERROR "${t}: simulated service_level '${sl}'")
    endif()
  endforeach()
  if(DEFINED REPEATED AND NOT repeated EQUAL 2)
    message(FATAL_ERROR "the repeated local time ${REPEATED} occurs ${repeated} times, not 2")
  endif()
  # Every column of every output is a name of include/wfm/core/vocabulary.hpp (or its
  # <name>_lower / <name>_upper bounds).
  file(STRINGS ${VOCABULARY} vocab REGEX "Quantity{\"[a-z_]+\"")
  set(names)
  foreach(line IN LISTS vocab)
    string(REGEX MATCH "Quantity{\"([a-z_]+)\"" _ "${line}")
    list(APPEND names ${CMAKE_MATCH_1})
  endforeach()
  foreach(p fc st cv sim)
    foreach(col IN LISTS ${p}_header)
      string(REGEX REPLACE "_(lower|upper)$" "" base "${col}")
      if(NOT col IN_LIST names AND NOT base IN_LIST names)
        message(FATAL_ERROR "${p}: column '${col}' is not in the vocabulary (${names})")
      endif()
    endforeach()
  endforeach()
  message(STATUS "chain: ${at_n} open intervals line up in all five files")
  return()
endif()

set(_chain ${CMAKE_CURRENT_SOURCE_DIR}/data/chain)
add_test(NAME cli:chain:utc
  COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE_DIR:wfm_example_staff> -DDATA=${_chain}/utc
          -DMODEL=${_chain}/shifts.json -DWORK=${CMAKE_CURRENT_BINARY_DIR}/chain_utc
          -DVOCABULARY=${PROJECT_SOURCE_DIR}/include/wfm/core/vocabulary.hpp
          -P ${CMAKE_CURRENT_LIST_FILE})
# The same across the end of daylight-saving time in Europe/Berlin (2026-10-25: 02:00 and 02:30
# twice, at +02:00 and +01:00).
add_test(NAME cli:chain:berlin_dst
  COMMAND ${CMAKE_COMMAND} -DBIN=$<TARGET_FILE_DIR:wfm_example_staff> -DDATA=${_chain}/berlin
          -DMODEL=${_chain}/shifts.json -DWORK=${CMAKE_CURRENT_BINARY_DIR}/chain_berlin
          -DVOCABULARY=${PROJECT_SOURCE_DIR}/include/wfm/core/vocabulary.hpp
          -DZONE=Europe/Berlin "-DREPEATED=^2026-10-25T02:00:00[+]0[12]:00$"
          -P ${CMAKE_CURRENT_LIST_FILE})
set_tests_properties(cli:chain:utc cli:chain:berlin_dst PROPERTIES LABELS "cli;chain")
