# ctest cases for wfm-kpi. Included by examples/CMakeLists.txt; the same file run with
# `cmake -P` (CMAKE_SCRIPT_MODE_FILE set) runs PROG with ARGS ('|'-separated) and checks the exit
# code CODE, that standard error contains EXPECT, and that none of the files ABSENT
# ('|'-separated) exists afterwards (nothing half-written).
if(CMAKE_SCRIPT_MODE_FILE)
  string(REPLACE "|" ";" _args "${ARGS}")
  string(REPLACE "|" ";" _absent "${ABSENT}")
  foreach(f IN LISTS _absent)
    file(REMOVE ${f})
  endforeach()
  execute_process(COMMAND ${PROG} ${_args} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL CODE)
    message(FATAL_ERROR "expected exit code ${CODE}, got ${rc}: ${err}")
  endif()
  foreach(f IN LISTS _absent)
    if(EXISTS ${f})
      message(FATAL_ERROR "${f} was written (exit code ${rc})")
    endif()
  endforeach()
  string(FIND "${err}" "${EXPECT}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "standard error lacks '${EXPECT}': ${err}")
  endif()
  return()
endif()
set(_kpi_data ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(_kpi_out ${CMAKE_CURRENT_BINARY_DIR}/kpi_out)
file(MAKE_DIRECTORY ${_kpi_out})
# Runs wfm-kpi through the script mode above: NAME CODE EXPECT ABSENT ARGS...
function(wfm_kpi_cli_case name code expect absent)
  string(REPLACE ";" "|" _args "${ARGN}")
  add_test(NAME cli:kpi:${name}
    COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_kpi> "-DARGS=${_args}"
            -DCODE=${code} "-DEXPECT=${expect}" "-DABSENT=${absent}"
            -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE})
  set_tests_properties(cli:kpi:${name} PROPERTIES LABELS cli)
endfunction()
# The bundled morning (shuffled rows) with staffing: 16 interval rows, vocabulary header.
add_test(NAME cli:kpi:sample
  COMMAND wfm_example_kpi --contacts ${_kpi_data}/kpi_contacts.csv
          --agents ${_kpi_data}/kpi_agents.csv --target-time 20 --target-time 60
          --fcr-window-days 0.05 --summary ${_kpi_out}/summary.json --output -)
set_tests_properties(cli:kpi:sample PROPERTIES PASS_REGULAR_EXPRESSION
  "timestamp,interval_length_s,volume,answered,abandoned,short_abandoned,abandon_rate,abandon_rate_net,aht_s,asa_s,asa_all_s,service_level_answered_within_20s,[^\n]*,staffed_s,occupancy\n2026-03-02 08:00,900,[^\n]*\n(2026-03-02 [^\n]*\n)+.*wfm-kpi: 713 contacts, 17 intervals")
# A negative wait: exit code 2 (wfm::exit_code::bad_input), the message names file, line, column.
wfm_kpi_cli_case(bad_row 2 "line 5, column 'wait_s': a duration must be >= 0" ${_kpi_out}/bad.csv
  --contacts ${_kpi_data}/kpi_contacts_bad.csv --output ${_kpi_out}/bad.csv)
wfm_kpi_cli_case(bad_definition 2 "--definition" ""
  --contacts ${_kpi_data}/kpi_contacts.csv --definition nonsense)
# Adherence of the bundled morning (examples/data/make_kpi_states.py): interval adherence on
# standard output (no --contacts: --adherence defaults to --output), vocabulary header; 16
# scheduled agents plus x99, which has no schedule.
add_test(NAME cli:kpi:adherence
  COMMAND wfm_example_kpi --schedule ${_kpi_data}/kpi_schedule.csv
          --states ${_kpi_data}/kpi_states.csv --adherence-agents ${_kpi_out}/agents.csv
          --adherence-days ${_kpi_out}/days.csv --exceptions ${_kpi_out}/exceptions.csv
          --shrinkage-by-state ${_kpi_out}/shrinkage.csv --summary ${_kpi_out}/adherence.json)
set_tests_properties(cli:kpi:adherence PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION
  "timestamp,interval_length_s,scheduled_s,adherent_s,work_scheduled_s,worked_s,adherence,conformance\n2026-03-02 07:45,900,0,0,0,[^\n]*\n2026-03-02 08:00,900,14400,[^\n]*\n.*wfm-kpi: 17 agents, adherence 0\\.[0-9]+, conformance [01]\\.[0-9]+, measured shrinkage 0\\.[0-9]+, [0-9]+ exceptions\nwfm-kpi: 1 agent\\(s\\) in the state log have no schedule, e\\.g\\. 'x99'")
# A lost logout: a09's last row is 'available' at 10:15:29. By default it lasts to the end of
# the shift and 'missing' is only the 1,745 s before late logins; with --max-state 3600 it ends
# at 11:15:29 and the 2,671 s to 12:00 are 'missing' too: 4,416 s of 230,400 s scheduled.
add_test(NAME cli:kpi:adherence_missing
  COMMAND wfm_example_kpi --schedule ${_kpi_data}/kpi_schedule.csv
          --states ${_kpi_data}/kpi_states.csv --max-state 3600 --adherence /dev/null
          --shrinkage-by-state -)
set_tests_properties(cli:kpi:adherence_missing PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION
  "state,time_in_state_s,shrinkage\nbreak,[^\n]*\nmeeting,[^\n]*\nmissing,4416,0\\.0191666")
# Contacts and states together: the state log's work-state time is the occupancy base.
add_test(NAME cli:kpi:contacts_and_states
  COMMAND wfm_example_kpi --contacts ${_kpi_data}/kpi_contacts.csv
          --schedule ${_kpi_data}/kpi_schedule.csv --states ${_kpi_data}/kpi_states.csv
          --adherence ${_kpi_out}/both_adherence.csv --output -)
set_tests_properties(cli:kpi:contacts_and_states PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION
  "patience_s,busy_s,staffed_s,occupancy\n.*wfm-kpi: 713 contacts.*\nwfm-kpi: 17 agents")
# Two states of one agent at the same second: exit code 2 naming the file and line; none of the
# outputs is written.
wfm_kpi_cli_case(adherence_bad_states 2 "kpi_states_bad.csv, line 9"
  "${_kpi_out}/bad_adherence.csv|${_kpi_out}/bad_summary.json"
  --schedule ${_kpi_data}/kpi_schedule.csv --states ${_kpi_data}/kpi_states_bad.csv
  --adherence ${_kpi_out}/bad_adherence.csv --summary ${_kpi_out}/bad_summary.json)
# --schedule without --states, and adherence outputs without the inputs: exit code 2.
wfm_kpi_cli_case(adherence_half 2 "adherence needs both files" ""
  --schedule ${_kpi_data}/kpi_schedule.csv)
wfm_kpi_cli_case(adherence_output_alone 2 "adherence outputs need --schedule and --states"
  ${_kpi_out}/alone.csv
  --contacts ${_kpi_data}/kpi_contacts.csv --exceptions ${_kpi_out}/alone.csv)
# An output that cannot be written (a directory): exit code 1 and no other output written.
wfm_kpi_cli_case(adherence_unwritable 1 "${_kpi_out}" ${_kpi_out}/partial.csv
  --schedule ${_kpi_data}/kpi_schedule.csv --states ${_kpi_data}/kpi_states.csv
  --adherence ${_kpi_out}/partial.csv --exceptions ${_kpi_out})
# Plan versus actual: examples/data/kpi_plan.csv (hand-written in the shape of wfm-plan's
# staffing.csv, UTC offsets on the timestamps) against the bundled morning. Measured (counted
# from kpi_contacts.csv by hand / pandas groupby): 09:30 52 contacts (47 answered within 20 s),
# 09:45 66 (38), 10:00 57 (39), 10:15 54 (32), 12:00 none; planned 50, 60, 60, 50, 10 at SL
# 0.8. WAPE = (2 + 6 + 3 + 4 + 10) / 229 = 0.109; SL = 156 / 229 = 0.681 (gap -0.119);
# 713 - 229 = 484 contacts outside the plan.
add_test(NAME cli:kpi:plan_vs_actual
  COMMAND wfm_example_kpi --contacts ${_kpi_data}/kpi_contacts.csv --output /dev/null
          --plan ${_kpi_data}/kpi_plan.csv --plan-vs-actual -)
set_tests_properties(cli:kpi:plan_vs_actual PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION
  "timestamp,planned_volume,volume,forecast_error,planned_aht_s,aht_s,agents_required,planned_service_level,service_level,service_level_gap,asa_s,abandon_rate\n2026-03-02 09:30,50,52,2,280,[^\n]*\n2026-03-02 09:45,60,66,6,[^\n]*\n.*2026-03-02 12:00,10,0,-10,280,0,4,0\\.8,1,0\\.2,0,0\n.*wfm-kpi: plan versus actual over 5 intervals: volume 229 vs 230 planned, WAPE 0\\.109, SL 0\\.681 vs 0\\.800 planned \\(gap -0\\.119\\), 484 contacts outside the plan")
# --plan without --contacts: exit code 2, nothing written.
wfm_kpi_cli_case(plan_without_contacts 2 "--plan: plan versus actual needs --contacts"
  ${_kpi_out}/pva.csv --schedule ${_kpi_data}/kpi_schedule.csv
  --states ${_kpi_data}/kpi_states.csv --plan ${_kpi_data}/kpi_plan.csv
  --plan-vs-actual ${_kpi_out}/pva.csv)
