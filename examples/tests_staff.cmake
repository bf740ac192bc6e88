# ctest cases for wfm-staff. Included by examples/CMakeLists.txt; the same file run with
# `cmake -P` (CMAKE_SCRIPT_MODE_FILE set) is the checker of the multi-step cases.
if(CMAKE_SCRIPT_MODE_FILE AND MODE STREQUAL "readonly")
  # A read-only output is refused (exit code 1) and left as it was.
  file(REMOVE ${OUT})
  file(WRITE ${OUT} "keep")
  file(CHMOD ${OUT} PERMISSIONS OWNER_READ GROUP_READ WORLD_READ)
  execute_process(COMMAND ${PROG} --input ${INPUT} --output ${OUT}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  file(READ ${OUT} text)
  file(REMOVE ${OUT})
  if(NOT rc EQUAL 1 OR NOT text STREQUAL "keep" OR NOT err MATCHES "is read-only")
    message(FATAL_ERROR "read-only output: exit code ${rc}, content '${text}', ${err}")
  endif()
  return()
endif()
if(CMAKE_SCRIPT_MODE_FILE)
  # -DPROG=... -DMODE=sample|bad -DINPUT=... -DOUT=...
  file(REMOVE ${OUT})
  execute_process(COMMAND ${PROG} --input ${INPUT} --output ${OUT} --summary --shrinkage 0.3
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(MODE STREQUAL "sample")
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "wfm-staff failed (${rc}): ${err}")
    endif()
    file(STRINGS ${OUT} lines)
    list(LENGTH lines n)
    list(GET lines 0 header)
    if(NOT n EQUAL 385 OR NOT header STREQUAL
       "timestamp,volume,aht_s,patience_s,agents_required,agents_required_gross,service_level,asa_s,abandon_rate,occupancy,status")
      message(FATAL_ERROR "unexpected output: ${n} lines, header '${header}'")
    endif()
    foreach(word "total volume" "peak agents" "agent-hours required" "agent-hours gross"
            "weighted service level" "weighted ASA" "weighted abandon rate"
            "intervals infeasible    0")
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
set(_week ${_staff_data}/sample_week.csv)
add_test(NAME cli:staff:sample_week
  COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_staff> -DMODE=sample
          -DINPUT=${_week} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/staff_week.csv
          -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME cli:staff:bad_row
  COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_staff> -DMODE=bad
          -DINPUT=${_staff_data}/sample_week_bad.csv -DOUT=${CMAKE_CURRENT_BINARY_DIR}/staff_bad.csv
          -P ${CMAKE_CURRENT_LIST_FILE})
add_test(NAME cli:staff:help COMMAND wfm_example_staff --help)
set_tests_properties(cli:staff:help PROPERTIES PASS_REGULAR_EXPRESSION
  "--service-level.*fraction.*--shrinkage.*--max-agents.*--fractional.*--summary.*Exit codes: 0")
add_wfm_cli_test(NAME cli:staff:erlang_c_stdout RC 0
  COMMAND wfm_example_staff ${_week} --model erlang_c --service-level 0.9 --target-time 15
          --max-asa 10 --max-occupancy 0.9 --output -
  OUT "^timestamp,volume,aht_s,patience_s,agents_required,agents_required_gross,service_level,asa_s,abandon_rate,occupancy,status\n2026-03-02 07:00,50,")
add_wfm_cli_test(NAME cli:staff:patience_flag RC 0   # --patience: Erlang A, patience_s written
  COMMAND wfm_example_staff -i ${CMAKE_CURRENT_SOURCE_DIR}/data/forecast_at_staff.csv
          --patience 120 -o -
  OUT "^timestamp,volume,aht_s,patience_s,agents_required,[^\n]*\n2026-03-02 08:00,20,200,120,")
add_wfm_cli_test(NAME cli:staff:method_mol RC 0   # time-varying: modified offered load
  COMMAND wfm_example_staff -i ${CMAKE_CURRENT_SOURCE_DIR}/data/forecast_at_staff.csv
          --patience 120 --method mol -o -
  OUT "^timestamp,volume,aht_s,patience_s,agents_required,[^\n]*\n2026-03-02 08:00,20,200,120,")
add_wfm_cli_test(NAME cli:staff:method_needs_one_aht RC 2
  COMMAND wfm_example_staff ${_week} --method lagged_sipp
  ERR "--method lagged_sipp needs one aht_s")
add_wfm_cli_test(NAME cli:staff:bad_flag RC 2 COMMAND wfm_example_staff ${_week} --service-level 1.5
  ERR "--service-level: must be a fraction in \\(0, 1\\)")
add_wfm_cli_test(NAME cli:staff:old_flag RC 2 COMMAND wfm_example_staff ${_week} --sl 0.8)
add_wfm_cli_test(NAME cli:staff:bad_spacing RC 2   # 15-minute rows declared as 30-minute intervals
  COMMAND wfm_example_staff ${_week} --interval-length 1800
  ERR "sample_week.csv, line 3, column 'start': timestamp '2026-03-02 07:15': not on the grid of 1800-s intervals")
add_wfm_cli_test(NAME cli:staff:fractional_interval RC 2
  COMMAND wfm_example_staff ${_week} --interval-length 900.5
  ERR "--interval-length: must be a whole number of seconds")
add_wfm_cli_test(NAME cli:staff:infeasible RC 3   # the goal cannot be met within --max-agents
  COMMAND wfm_example_staff ${_week} --max-agents 3 -o ${CMAKE_CURRENT_BINARY_DIR}/staff_inf.csv
  ERR "cannot meet the goal within --max-agents 3")
add_wfm_cli_test(NAME cli:staff:numbers RC 2   # hexadecimal is not a number
  COMMAND wfm_example_staff ${_staff_data}/sample_hex.csv
  ERR "sample_hex.csv, line 3, column 'volume': not a number: '0x1A'")
add_wfm_cli_test(NAME cli:staff:tiny_number RC 0   # 1e-320 is a finite number
  COMMAND wfm_example_staff ${_staff_data}/sample_tiny.csv -o -
  OUT "2026-03-02 07:15,1e-320,")
add_wfm_cli_test(NAME cli:staff:stdout_full RC 1 COMMAND wfm_example_staff ${_week}
  STDOUT /dev/full ERR "standard output")
add_wfm_cli_test(NAME cli:staff:help_full RC 1 COMMAND wfm_example_staff --help STDOUT /dev/full)
add_test(NAME cli:staff:read_only_output
  COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:wfm_example_staff> -DMODE=readonly
          -DINPUT=${_week} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/staff_ro.csv
          -P ${CMAKE_CURRENT_LIST_FILE})
set_tests_properties(cli:staff:sample_week cli:staff:bad_row cli:staff:help
                     cli:staff:read_only_output PROPERTIES LABELS cli)

# --model NAME: every model of the registry (wfm/queueing/model_registry.hpp), its parameters as
# the vocabulary's flags. staff_chat_hour.csv: 120 contacts in an hour, AHT 300 s, patience 120 s.
set(_hour ${_staff_data}/staff_chat_hour.csv)
# The issue's worked example (chat_concurrency.hpp): 300/420/540 s at 1/2/3 chats, 80 % answered
# within 60 s: 6 agents (SL 0.853; 5 give 0.684).
add_wfm_cli_test(NAME cli:staff:model_chat RC 0
  COMMAND wfm_example_staff ${_hour} --model chat --handle-time-factors 1,1.4,1.8
          --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,6,6.0000,0.85333[0-9],")
# Erlang A at load 10, patience 120 s: 11 agents (ErlangA.service_level: 0.770 at 10, 0.840 at 11).
add_wfm_cli_test(NAME cli:staff:model_erlang_a RC 0
  COMMAND wfm_example_staff ${_hour} --model erlang_a --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,11,")
# Erlang X with 12 lines and half the lost attempts redialled: 11 agents (ErlangX.service_level:
# 0.737 at 10, 0.816 at 11).
add_wfm_cli_test(NAME cli:staff:model_erlang_x RC 0
  COMMAND wfm_example_staff ${_hour} --model erlang_x --lines 12 --redial-probability 0.5
          --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,11,[^\n]*,ok\n2026-03-02 09:00,0,300,120,0,")
# The same with redials after 1,800 s as the exact retrial chain (ErlangXRetrial.service_level:
# 0.733 at 10, 0.813 at 11); after 10 s even 12 agents on the 12 lines give 0.799 < 0.8.
add_wfm_cli_test(NAME cli:staff:model_erlang_x_retrial RC 0
  COMMAND wfm_example_staff ${_hour} --model erlang_x --lines 12 --redial-probability 0.5
          --redial-delay 1800 --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,11,[^\n]*,ok\n2026-03-02 09:00,0,300,120,0,")
add_wfm_cli_test(NAME cli:staff:model_bad_redial_delay RC 2
  COMMAND wfm_example_staff ${_hour} --model erlang_x --lines 12 --redial-delay 0
  ERR "--redial-delay")
add_wfm_cli_test(NAME cli:staff:model_unknown RC 2
  COMMAND wfm_example_staff ${_hour} --model erlang_z ERR "--model: erlang_z not in")
add_wfm_cli_test(NAME cli:staff:model_x_needs_lines RC 2
  COMMAND wfm_example_staff ${_hour} --model erlang_x ERR "--lines.*required by --model erlang_x")
add_wfm_cli_test(NAME cli:staff:model_flag_of_other_model RC 2
  COMMAND wfm_example_staff ${_hour} --model chat --lines 12
  ERR "--lines.*applies to --model erlang_x only")
add_wfm_cli_test(NAME cli:staff:model_bad_factor RC 2
  COMMAND wfm_example_staff ${_hour} --model chat --handle-time-factors 1,-2
  ERR "--handle-time-factors")
add_wfm_cli_test(NAME cli:staff:model_bad_redial RC 2
  COMMAND wfm_example_staff ${_hour} --model erlang_x --lines 12 --redial-probability 1
  ERR "--redial-probability: must be a fraction in \\[0, 1\\)")
add_wfm_cli_test(NAME cli:staff:model_needs_patience RC 2
  COMMAND wfm_example_staff ${CMAKE_CURRENT_SOURCE_DIR}/data/forecast_at_staff.csv --model chat
  ERR "--model.*needs a patience_s column or --patience")
add_wfm_cli_test(NAME cli:staff:model_infeasible RC 3   # 2 agents hold 6 chats: not enough
  COMMAND wfm_example_staff ${_hour} --model chat --handle-time-factors 1,1.4,1.8
          --service-level 0.8 --target-time 60 --max-agents 2 -o ${CMAKE_CURRENT_BINARY_DIR}/staff_chat_inf.csv
  ERR "cannot meet the goal within --max-agents 2")
# M/M/n+G: exponential patience is erlang_a (11 agents above); a fixed patience of the same
# mean keeps callers waiting longer, so more agents are needed for the same goal.
add_wfm_cli_test(NAME cli:staff:model_general_exponential RC 0
  COMMAND wfm_example_staff ${_hour} --model general_patience --service-level 0.8
          --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,11,")
add_wfm_cli_test(NAME cli:staff:model_general_shape_needed RC 2
  COMMAND wfm_example_staff ${_hour} --model general_patience --patience-distribution lognormal
  ERR "--patience-shape.*is required")
add_wfm_cli_test(NAME cli:staff:model_general_flag_of_other_model RC 2
  COMMAND wfm_example_staff ${_hour} --model chat --patience-distribution weibull
  ERR "--patience-distribution.*applies to --model general_patience only")
# Deterministic patience of 120 s: 12 agents where Erlang A (exponential, same mean) needs 11
# (GeneralPatience; its deterministic case is checked against the closed form in the C++ tests).
add_wfm_cli_test(NAME cli:staff:model_general_deterministic RC 0
  COMMAND wfm_example_staff ${_hour} --model general_patience --patience-distribution deterministic
          --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,12,")
# Erlang-k (gamma) patience with the same mean: k = 1 is the exponential (the same line as
# model_general_exponential, service level included); k = 16 is near the deterministic law and
# needs its 12 agents (GeneralPatience; both limits are checked in the C++ tests).
add_wfm_cli_test(NAME cli:staff:model_general_gamma_exponential RC 0
  COMMAND wfm_example_staff ${_hour} --model general_patience --patience-distribution gamma
          --patience-shape 1 --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,11,11.0000,0.840020,")
add_wfm_cli_test(NAME cli:staff:model_general_gamma_16 RC 0
  COMMAND wfm_example_staff ${_hour} --model general_patience --patience-distribution gamma
          --patience-shape 16 --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,12,")
add_wfm_cli_test(NAME cli:staff:model_general_gamma_shape_needed RC 2
  COMMAND wfm_example_staff ${_hour} --model general_patience --patience-distribution gamma
  ERR "--patience-shape.*is required")

# --model blending (blending.hpp): inbound calls and an endless supply of outbound work; a free
# agent takes outbound work only if at least --reserve others stay idle. agents_required is
# the least n meeting the inbound goal at that reserve. A reserve above every n considered
# never sends anyone outbound: Erlang A's 11 agents (cli:staff:model_erlang_a above).
add_wfm_cli_test(NAME cli:staff:model_blending_no_outbound RC 0
  COMMAND wfm_example_staff ${_hour} --model blending --reserve 1000 --outbound-aht 600
          --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,11,")
# Reserve 2 with outbound jobs of 600 s: 15 agents (Blending: SL 0.8037 at 15; the pool also
# does outbound work, occupancy 0.947).
add_wfm_cli_test(NAME cli:staff:model_blending_reserve RC 0
  COMMAND wfm_example_staff ${_hour} --model blending --reserve 2 --outbound-aht 600
          --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,120,15,15.0000,0.8037[0-9]*,")
add_wfm_cli_test(NAME cli:staff:model_blending_needs_reserve RC 2
  COMMAND wfm_example_staff ${_hour} --model blending
  ERR "--reserve.*is required by --model blending")
add_wfm_cli_test(NAME cli:staff:model_blending_flag_of_other_model RC 2
  COMMAND wfm_example_staff ${_hour} --model erlang_a --reserve 2
  ERR "--reserve.*applies to --model blending only")
add_wfm_cli_test(NAME cli:staff:model_blending_bad_outbound RC 2
  COMMAND wfm_example_staff ${_hour} --model blending --reserve 2 --outbound-aht -5
  ERR "--outbound-aht")
# Email and back office (--model backlog, wfm/queueing/backlog.hpp). staff_backlog_hours.csv:
# 10 items of 360 s in the first hour, then nothing. Deadline 2 h: nobody in hours 0 and 1,
# one agent in hour 2 does the 10 items exactly on time (the hand-checked example of
# required_backlog_agents in backlog.hpp and tests/queueing/backlog_test.cpp).
set(_backlog ${_staff_data}/staff_backlog_hours.csv)
add_wfm_cli_test(NAME cli:staff:model_backlog RC 0
  COMMAND wfm_example_staff ${_backlog} --model backlog --deadline 7200 -o -
  OUT "agents_required,agents_required_gross,handled,backlog,oldest_age_s,within_deadline,occupancy\n2026-03-02 08:00,10,360,0.000000,[^\n]*\n2026-03-02 09:00,0,360,0.000000,[^\n]*\n2026-03-02 10:00,0,360,1.000000,1.000000,10.000000,0.000000,")
# Half on time within 1 h: the least level is 1/3 agent (10 x 360 s of work over 3 h; FIFO, the
# first 5 items are late by the time their hour ends).
add_wfm_cli_test(NAME cli:staff:model_backlog_share RC 0
  COMMAND wfm_example_staff ${_backlog} --model backlog --deadline 3600 --service-level 0.5 -o -
  OUT "\n2026-03-02 08:00,10,360,0.3333[0-9]*,")
add_wfm_cli_test(NAME cli:staff:model_backlog_needs_deadline RC 2
  COMMAND wfm_example_staff ${_backlog} --model backlog ERR "--deadline: is required by --model backlog")
add_wfm_cli_test(NAME cli:staff:model_backlog_bad_deadline RC 2
  COMMAND wfm_example_staff ${_backlog} --model backlog --deadline 1000
  ERR "--deadline: must be a whole number of intervals \\(3600 s\\)")
add_wfm_cli_test(NAME cli:staff:model_backlog_foreign_flag RC 2
  COMMAND wfm_example_staff ${_backlog} --model backlog --deadline 7200 --max-asa 20
  ERR "--max-asa: does not apply to --model backlog")
add_wfm_cli_test(NAME cli:staff:deadline_other_model RC 2
  COMMAND wfm_example_staff ${_hour} --model erlang_a --deadline 7200
  ERR "--deadline: applies to --model backlog only")

# General patience from files (--model general_patience): a law of its own mean replaces
# patience_s (written to the output as that mean). staff_hour.csv: 120 contacts in an hour,
# AHT 300 s, no patience_s. The numbers are those of the C++ call on the same law
# (tests/queueing/model_registry_test.cpp, "general_patience with a law of its own"), which
# checks them against GeneralPatience itself.
set(_staff_hour ${_staff_data}/staff_hour.csv)
# Piecewise hazard 0.004 / 0.008 / 0.016 per s from 0 / 30 / 120 s (mean 112.153 s): 11 agents,
# 80 % within 60 s at 0.829791.
add_wfm_cli_test(NAME cli:staff:model_general_piecewise_hazard RC 0
  COMMAND wfm_example_staff ${_staff_hour} --model general_patience
          --patience-distribution piecewise_hazard
          --patience-hazard ${_staff_data}/staff_patience_hazard.csv
          --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,112\\.1530376960[0-9]*,11,11\\.0000,0\\.829791,")
# A survival curve (a Kaplan-Meier estimate's shape, S(0) = 1 row included; mean 207.500 s with
# its exponential tail): 11 agents at 0.807871.
add_wfm_cli_test(NAME cli:staff:model_general_estimated RC 0
  COMMAND wfm_example_staff ${_staff_hour} --model general_patience
          --patience-distribution estimated
          --patience-survival ${_staff_data}/staff_patience_survival.csv
          --service-level 0.8 --target-time 60 -o -
  OUT "\n2026-03-02 08:00,120,300,207\\.5003579701[0-9]*,11,11\\.0000,0\\.807871,")
# Bad files name the file, line, column and value; nothing is written (exit code 2).
add_wfm_cli_test(NAME cli:staff:model_general_hazard_bad_row RC 2
  COMMAND wfm_example_staff ${_staff_hour} --model general_patience
          --patience-distribution piecewise_hazard
          --patience-hazard ${_staff_data}/staff_patience_hazard_bad.csv
          -o ${CMAKE_CURRENT_BINARY_DIR}/staff_hazard_bad.csv
  ABSENT ${CMAKE_CURRENT_BINARY_DIR}/staff_hazard_bad.csv
  ERR "staff_patience_hazard_bad\\.csv, line 3, column 'patience_hazard': a hazard must be >= 0 \\[1/s\\], got -0\\.008")
add_wfm_cli_test(NAME cli:staff:model_general_survival_bad_row RC 2
  COMMAND wfm_example_staff ${_staff_hour} --model general_patience
          --patience-distribution estimated
          --patience-survival ${_staff_data}/staff_patience_survival_bad.csv
  ERR "staff_patience_survival_bad\\.csv, line 4, column 'patience_survival': must be a fraction in \\[0, 1\\], at most the previous row's 0\\.95, got 0\\.97")
add_wfm_cli_test(NAME cli:staff:model_general_survival_needed RC 2
  COMMAND wfm_example_staff ${_staff_hour} --model general_patience --patience-distribution estimated
  ERR "--patience-survival: is required by --patience-distribution, got 'estimated'")
add_wfm_cli_test(NAME cli:staff:model_general_hazard_other_law RC 2
  COMMAND wfm_example_staff ${_hour} --model general_patience --patience-distribution deterministic
          --patience-hazard ${_staff_data}/staff_patience_hazard.csv
  ERR "--patience-hazard: applies to --patience-distribution piecewise_hazard only")
add_wfm_cli_test(NAME cli:staff:model_general_law_and_patience RC 2
  COMMAND wfm_example_staff ${_staff_hour} --model general_patience --patience 100
          --patience-distribution piecewise_hazard
          --patience-hazard ${_staff_data}/staff_patience_hazard.csv
  ERR "--patience: --patience-hazard gives the law and its mean")
# The chain log -> wfm-kpi -> wfm-staff through files as they are: wfm-kpi's Kaplan-Meier curve
# of the bundled morning (first point: 5 of 227 still waiting abandon at 1 s, 1 - 5/227) and its
# interval KPIs (whose patience_s column, the exponential MLE, the law replaces) into
# wfm-staff --patience-distribution estimated.
set(_km_dir ${CMAKE_CURRENT_BINARY_DIR}/staff_km)
file(MAKE_DIRECTORY ${_km_dir})
add_wfm_cli_test(NAME cli:staff:kpi_survival RC 0
  COMMAND wfm_example_kpi --contacts ${_staff_data}/kpi_contacts.csv
          --patience-survival ${_km_dir}/survival.csv -o ${_km_dir}/kpi.csv)
add_wfm_cli_test(NAME cli:staff:kpi_survival_file RC 0
  COMMAND ${CMAKE_COMMAND} -E cat ${_km_dir}/survival.csv
  OUT "^wait_s,patience_survival,at_risk,abandoned\n1,0\\.97797356828193[0-9]*,227,5\n")
add_wfm_cli_test(NAME cli:staff:kpi_survival_to_staff RC 0
  COMMAND wfm_example_staff ${_km_dir}/kpi.csv --model general_patience
          --patience-distribution estimated --patience-survival ${_km_dir}/survival.csv
          --service-level 0.8 --target-time 60 -o -
  OUT "^timestamp,volume,aht_s,patience_s,agents_required,[^\n]*\n2026-03-02 08:00,39,[^\n]*,ok\n"
  ERR "patience_s column is replaced by the mean of the law of --patience-survival \\(78\\.7[0-9]* s\\)")
set_tests_properties(cli:staff:kpi_survival PROPERTIES FIXTURES_SETUP staff_km)
set_tests_properties(cli:staff:kpi_survival_file cli:staff:kpi_survival_to_staff
                     PROPERTIES FIXTURES_REQUIRED staff_km)
add_wfm_cli_test(NAME cli:staff:model_backlog_patience_file RC 2
  COMMAND wfm_example_staff ${_backlog} --model backlog --deadline 7200
          --patience-hazard ${_staff_data}/staff_patience_hazard.csv
  ERR "--patience-hazard: does not apply to --model backlog")
add_wfm_cli_test(NAME cli:staff:kpi_survival_needs_contacts RC 2
  COMMAND wfm_example_kpi --schedule ${_staff_data}/kpi_schedule.csv
          --states ${_staff_data}/kpi_states.csv --patience-survival ${_km_dir}/none.csv
  ERR "--patience-survival: the patience curve needs --contacts")
