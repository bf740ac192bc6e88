# ctest cases for wfm-simulate (included by examples/CMakeLists.txt).
set(_sim_data ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(_sim_out ${CMAKE_CURRENT_BINARY_DIR}/simulate_out)
file(MAKE_DIRECTORY ${_sim_out})
add_test(NAME cli:simulate:day
  COMMAND wfm_example_simulate --input ${_sim_data}/simulate_day.csv --replications 20
          --seed 3 --threads 2 --patience exponential --handle lognormal --handle-cv 0.9
          --target 20 --target 60 --definition answered_within --definition wait_within
          --output ${_sim_out}/day.csv)
# The same to standard output: the header names every series; 20 interval rows, then the total.
add_test(NAME cli:simulate:day:output
  COMMAND wfm_example_simulate --input ${_sim_data}/simulate_day.csv --replications 5
          --target 20 --target 60 --definition answered_within --definition wait_within
          --output -)
set_tests_properties(cli:simulate:day:output PROPERTIES PASS_REGULAR_EXPRESSION
  "sl_wait_within_60s_fraction_hw\n2026-03-02 08:00,[^\n]*\n(2026-03-02 [^\n]*\n)+total,[0-9]")
add_test(NAME cli:simulate:roster
  COMMAND wfm_example_simulate --input ${_sim_data}/simulate_day.csv
          --roster ${_sim_data}/simulate_roster.json --replications 10 --patience exponential
          --warmup 600 --output ${_sim_out}/roster.csv)
add_test(NAME cli:simulate:bad_definition
  COMMAND wfm_example_simulate --input ${_sim_data}/simulate_day.csv --definition nonsense)
set_tests_properties(cli:simulate:bad_definition PROPERTIES WILL_FAIL TRUE)
add_test(NAME cli:simulate:bad_replications
  COMMAND wfm_example_simulate --input ${_sim_data}/simulate_day.csv --replications 0)
set_tests_properties(cli:simulate:bad_replications PROPERTIES
  PASS_REGULAR_EXPRESSION "replications must be >= 1")
set_tests_properties(cli:simulate:day cli:simulate:day:output cli:simulate:roster
  cli:simulate:bad_definition cli:simulate:bad_replications PROPERTIES LABELS cli)
