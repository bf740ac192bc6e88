# ctest cases of wfm-schedule (included by examples/CMakeLists.txt).
# Data: examples/data/schedule_day.json is a synthetic day centre (07:00-22:00, 60 quarter-hours,
# double-peak requirement, the F8/F6/P4 templates of the shared cc instances); schedule_requirement.csv
# is the same requirement + 1 agent; schedule_bad_break.json has a break window outside its shift.
set(_sd ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(_so ${CMAKE_CURRENT_BINARY_DIR}/schedule_out)
file(MAKE_DIRECTORY ${_so})
add_test(NAME cli:schedule:day
         COMMAND wfm_example_schedule --model ${_sd}/schedule_day.json --time-limit 3 --seed 1
                 --schedule ${_so}/shifts.csv --coverage ${_so}/coverage.csv --summary ${_so}/summary.json)
set_tests_properties(cli:schedule:day PROPERTIES LABELS cli
                     PASS_REGULAR_EXPRESSION "checked: ok" FAIL_REGULAR_EXPRESSION "status: (infeasible|error)")
add_test(NAME cli:schedule:requirement_csv
         COMMAND wfm_example_schedule --model ${_sd}/schedule_day.json
                 --requirement ${_sd}/schedule_requirement.csv --time-limit 2 --quiet --schedule -)
set_tests_properties(cli:schedule:requirement_csv PROPERTIES LABELS cli
                     PASS_REGULAR_EXPRESSION "template,start,end,agents,breaks.*checked: ok")
add_test(NAME cli:schedule:bad_break
         COMMAND wfm_example_schedule --model ${_sd}/schedule_bad_break.json --quiet)
set_tests_properties(cli:schedule:bad_break PROPERTIES LABELS cli
                     PASS_REGULAR_EXPRESSION "breaks\\[0\\].*outside its shift")
add_test(NAME cli:schedule:missing_file
         COMMAND wfm_example_schedule --model ${_sd}/does_not_exist.json --quiet)
set_tests_properties(cli:schedule:missing_file PROPERTIES LABELS cli WILL_FAIL TRUE)
