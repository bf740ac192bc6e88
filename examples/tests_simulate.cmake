# ctest cases for wfm-simulate (included by examples/CMakeLists.txt).
set(_sim_data ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(_sim_out ${CMAKE_CURRENT_BINARY_DIR}/simulate_out)
file(MAKE_DIRECTORY ${_sim_out})
set(_day ${_sim_data}/simulate_day.csv)
add_wfm_cli_test(NAME cli:simulate:day RC 0
  COMMAND wfm_example_simulate --input ${_day} --replications 20
          --seed 3 --threads 2 --handle-distribution lognormal --handle-cv 0.9
          --target-time 20 --target-time 60 --definition answered_within --definition wait_within
          --output ${_sim_out}/day.csv --quiet)
# The same to standard output: the header names every series; 20 interval rows, no total row.
add_wfm_cli_test(NAME cli:simulate:day:output RC 0
  COMMAND wfm_example_simulate --input ${_day} --replications 5 --quiet
          --target-time 20 --target-time 60 --definition answered_within --definition wait_within
          --output -
  OUT "^timestamp,agents,volume,volume_lower,volume_upper,answered,[^\n]*,service_level,service_level_lower,service_level_upper,[^\n]*service_level_wait_within_60s_upper\n2026-03-02 08:00,13,[^\n]*\n(2026-03-02 [^\n]*\n)+$")
add_wfm_cli_test(NAME cli:simulate:roster RC 0
  COMMAND wfm_example_simulate --input ${_day}
          --roster ${_sim_data}/simulate_roster.json --replications 10
          --patience-distribution exponential --warmup 600 --output ${_sim_out}/roster.csv)
add_wfm_cli_test(NAME cli:simulate:closed_gap RC 0   # a closed interval: same timestamps out
  COMMAND wfm_example_simulate --input ${_sim_data}/simulate_gap.csv --replications 5 --quiet
  OUT "\n2026-03-02 08:30,[^\n]*\n2026-03-02 09:30,")
add_wfm_cli_test(NAME cli:simulate:bad_definition RC 2
  COMMAND wfm_example_simulate --input ${_day} --definition nonsense
  ERR "--definition")
add_wfm_cli_test(NAME cli:simulate:bad_replications RC 2
  COMMAND wfm_example_simulate --input ${_day} --replications 0
  ERR "replications must be in \\[1, ")
add_wfm_cli_test(NAME cli:simulate:huge_agents RC 2   # >= 2^31 agents: file, line, column
  COMMAND wfm_example_simulate --input ${_sim_data}/simulate_huge_agents.csv
  ERR "simulate_huge_agents.csv, line 3, column 'agents': must be in \\[0, 2147483647\\], got '3000000000'")
add_wfm_cli_test(NAME cli:simulate:fractional_agents RC 2   # 15.7 agents: not truncated
  COMMAND wfm_example_simulate --input ${_sim_data}/simulate_fractional_agents.csv
  ERR "simulate_fractional_agents.csv, line 3, column 'agents': must be a whole number")
add_wfm_cli_test(NAME cli:simulate:fractional_interval RC 2
  COMMAND wfm_example_simulate --input ${_day} --interval-length 1800.7
  ERR "--interval-length: must be a whole number of seconds")
add_wfm_cli_test(NAME cli:simulate:stdout_full RC 1
  COMMAND wfm_example_simulate --input ${_day} --replications 2 --quiet
  STDOUT /dev/full ERR "standard output")
add_wfm_cli_test(NAME cli:simulate:help RC 0 COMMAND wfm_example_simulate --help
  OUT "--patience-distribution.*--patience .*\\[s\\].*Exit codes: 0 done")
# Multi-contact features (issue 12): chat concurrency, lines with redials, outbound blending work.
add_wfm_cli_test(NAME cli:simulate:chat_lines RC 0
  COMMAND wfm_example_simulate --input ${_day} --replications 5 --quiet
          --handle-time-factors 1 1.4 1.8 --lines 60 --redial-probability 0.5 --redial-delay 30
          --output -
  OUT "service_level_upper,blocking_rate,blocking_rate_lower,blocking_rate_upper,effective_arrival_rate,[^\n]*,outbound_throughput_upper\n2026-03-02 08:00,")
add_wfm_cli_test(NAME cli:simulate:blending RC 0
  COMMAND wfm_example_simulate --input ${_day} --replications 5 --quiet --outbound-aht 300
          --reserve 2 --output ${_sim_out}/blending.csv)
add_wfm_cli_test(NAME cli:simulate:bad_redial RC 2
  COMMAND wfm_example_simulate --input ${_day} --redial-probability 1
  ERR "redial_probability must be in \\[0, 1\\)")
