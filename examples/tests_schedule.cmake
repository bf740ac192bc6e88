# ctest cases of wfm-schedule (included by examples/CMakeLists.txt).
# Data: examples/data/schedule_day.json is a synthetic day centre (07:00-22:00, 60 quarter-hours,
# double-peak requirement, the F8/F6/P4 templates of the shared cc instances; the old format with
# interval_minutes and start indices); schedule_shifts.json holds the same templates in the
# current format (interval_length_s, start_times as local times of day) and no requirement;
# schedule_requirement.csv is the same requirement + 1 agent by timestamp (2026-03-02),
# schedule_requirement_lunch_closed.csv the same with 12:00-13:00 closed (no rows);
# schedule_bad_break.json has a break window outside its shift; roster_agents.csv holds 40 named
# agents (5 days, 11 h rest, some limited to P4 or to F8/F6, some preferring 07:00-09:00 starts).
set(_sd ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(_so ${CMAKE_CURRENT_BINARY_DIR}/schedule_out)
file(MAKE_DIRECTORY ${_so})
add_wfm_cli_test(NAME cli:schedule:day RC 0
  COMMAND wfm_example_schedule --model ${_sd}/schedule_day.json --time-limit 3 --seed 1
          -o ${_so}/shifts.csv --coverage ${_so}/coverage.csv --summary ${_so}/summary.json
  OUT "status: (optimal|feasible|time_limit).*checked: ok")
add_wfm_cli_test(NAME cli:schedule:requirement_csv RC 0
  COMMAND wfm_example_schedule --model ${_sd}/schedule_shifts.json
          -i ${_sd}/schedule_requirement.csv --time-limit 2 --quiet -o -
  OUT "template,start,end,agents,breaks\n(F8|F6|P4),2026-03-02 [0-9:]+,2026-03-02 [0-9:]+,[0-9]+,2026-03-02 [0-9:]+=[0-9]+.*checked: ok")
add_wfm_cli_test(NAME cli:schedule:old_model_with_csv RC 0   # index starts from the first row
  COMMAND wfm_example_schedule --model ${_sd}/schedule_day.json
          -i ${_sd}/schedule_requirement.csv --time-limit 2 --quiet --coverage -
  OUT "^timestamp,agents_required,agents\n2026-03-02 07:00,5,[0-9]+\n")
add_wfm_cli_test(NAME cli:schedule:closed_hour RC 0   # no coverage row for a closed interval
  COMMAND wfm_example_schedule --model ${_sd}/schedule_shifts.json
          -i ${_sd}/schedule_requirement_lunch_closed.csv --time-limit 2 --quiet --coverage -
  OUT "2026-03-02 11:45,[0-9.]+,[0-9.]+\n2026-03-02 13:00,")
add_wfm_cli_test(NAME cli:schedule:start_times_need_input RC 2
  COMMAND wfm_example_schedule --model ${_sd}/schedule_shifts.json --quiet
  ERR "start_times'.*needs the requirement by timestamp")
add_wfm_cli_test(NAME cli:schedule:bad_break RC 2
  COMMAND wfm_example_schedule --model ${_sd}/schedule_bad_break.json --quiet
  ERR "breaks\\[0\\].*outside its shift")
add_wfm_cli_test(NAME cli:schedule:missing_file RC 2
  COMMAND wfm_example_schedule --model ${_sd}/does_not_exist.json --quiet
  ERR "does_not_exist.json: cannot open")
add_wfm_cli_test(NAME cli:schedule:bad_time_limit RC 2
  COMMAND wfm_example_schedule --model ${_sd}/schedule_day.json --time-limit=-1 --quiet
  ERR "--time-limit")
add_wfm_cli_test(NAME cli:schedule:infeasible RC 3   # hard cover with a requirement at 06:00
  COMMAND wfm_example_schedule --model ${_sd}/schedule_shifts.json
          -i ${_sd}/schedule_requirement_early.csv --time-limit 2 --quiet
  OUT "status: infeasible")
add_wfm_cli_test(NAME cli:schedule:outputs_together RC 1   # a failed output: none is written
  COMMAND wfm_example_schedule --model ${_sd}/schedule_day.json --time-limit 1 --quiet
          -o ${_so}/together.csv --coverage ${_so}/no_such_dir/coverage.csv
  ABSENT ${_so}/together.csv ERR "no_such_dir/coverage.csv")
add_wfm_cli_test(NAME cli:schedule:help RC 0 COMMAND wfm_example_schedule --help
  OUT "interval_length_s.*start_times.*Exit codes: 0 done")
add_wfm_cli_test(NAME cli:schedule:roster RC 0   # 40 agents for one day's shifts
  COMMAND wfm_example_schedule --model ${_sd}/schedule_shifts.json
          -i ${_sd}/schedule_requirement.csv --time-limit 2 --quiet
          --agents ${_sd}/roster_agents.csv --roster -
  OUT "agent,template,start,end,breaks\nagent[0-9]+,(F8|F6|P4),2026-03-02 [0-9:]+,2026-03-02 [0-9:]+,.*roster_status: ok.*roster_checked: ok")
add_wfm_cli_test(NAME cli:schedule:roster_infeasible RC 3   # 3 agents: most shifts unassigned
  COMMAND wfm_example_schedule --model ${_sd}/schedule_shifts.json
          -i ${_sd}/schedule_requirement.csv --time-limit 2 --quiet
          --agents ${_sd}/roster_agents_few.csv
  OUT "roster_status: infeasible.*roster_checked: ok.*roster_message: [0-9]+ of [0-9]+ agent-shifts unassigned")
add_wfm_cli_test(NAME cli:schedule:roster_needs_agents RC 2
  COMMAND wfm_example_schedule --model ${_sd}/schedule_day.json --quiet --roster -
  ERR "--agents")
add_wfm_cli_test(NAME cli:schedule:roster_bad_agents RC 2
  COMMAND wfm_example_schedule --model ${_sd}/schedule_shifts.json
          -i ${_sd}/schedule_requirement.csv --time-limit 1 --quiet
          --agents ${_sd}/roster_agents_bad.csv
  ERR "roster_agents_bad.csv, line 3.*unknown template 'X9'")
