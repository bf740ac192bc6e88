// Agents from a CSV table (the programs' reader; errors name file, line and column).
#include <fmt/format.h>

#include <cmath>

#include <wfm/core/csv.hpp>
#include <wfm/core/error.hpp>
#include <wfm/schedule/roster.hpp>

namespace wfm::schedule {
namespace {

/// Whole numbers from a ';'-separated cell ("3;10"; empty: none), each in [lo, hi].
std::vector<int> int_list(const CsvTable& t, std::size_t row, std::size_t col, int lo, int hi) {
  std::vector<int> out;
  const std::string& text = t.text(row, col);
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t to = std::min(text.find(';', from), text.size());
    const std::string item = text.substr(from, to - from);
    if (item.find_first_not_of(' ') != std::string::npos) {
      const CsvTable one(t.source(), {t.header()[col]}, {{item}});
      try {
        out.push_back(static_cast<int>(one.integer(0, 0, lo, hi)));
      } catch (const InvalidArgument&) {
        t.fail(row, col, fmt::format("'{}' is not a whole number in [{}, {}]", item, lo, hi));
      }
    }
    from = to + 1;
  }
  return out;
}

void read_contract(const CsvTable& t, std::size_t r, Contract& c) {
  auto num = [&](std::string_view name, double& field) {
    if (auto col = t.find_column(name); col && !t.text(r, *col).empty()) field = t.number(r, *col);
  };
  auto whole = [&](std::string_view name, int& field, int lo, int hi) {
    if (auto col = t.find_column(name); col && !t.text(r, *col).empty())
      field = static_cast<int>(t.integer(r, *col, lo, hi));
  };
  num("min_week_s", c.min_week_s);
  num("max_week_s", c.max_week_s);
  whole("max_days_per_week", c.max_days_per_week, 0, 7);
  whole("max_consecutive_days", c.max_consecutive_days, 1, 1000000);
  num("min_rest_s", c.min_rest_s);
}

}  // namespace

std::vector<Agent> agents_from_table(const CsvTable& t, const CoverageModel& model) {
  const std::size_t id = t.column("agent");
  const int days = static_cast<int>(std::ceil(model.num_intervals() * model.interval_length / 86400.0 - 1e-9));
  std::vector<Agent> out;
  for (std::size_t r = 0; r < t.row_count(); ++r) {
    Agent a;
    a.id = t.text(r, id);
    if (auto c = t.find_column("skill")) a.skill = t.text(r, *c);
    read_contract(t, r, a.contract);
    if (auto c = t.find_column("templates")) {
      const std::string& text = t.text(r, *c);
      std::size_t from = 0;
      while (from < text.size()) {
        const std::size_t to = std::min(text.find(';', from), text.size());
        const std::string name = text.substr(from, to - from);
        int k = -1;
        for (std::size_t i = 0; i < model.templates.size(); ++i)
          if (model.templates[i].name == name) k = static_cast<int>(i);
        if (k < 0) t.fail(r, *c, fmt::format("unknown template '{}'", name));
        a.contract.templates.push_back(k);
        from = to + 1;
      }
    }
    if (auto c = t.find_column("start_from_s"); c && !t.text(r, *c).empty())
      a.preferences.start_from_s = t.number(r, *c);
    if (auto c = t.find_column("start_to_s"); c && !t.text(r, *c).empty())
      a.preferences.start_to_s = t.number(r, *c);
    if (auto c = t.find_column("days_off")) a.preferences.days_off = int_list(t, r, *c, 0, days - 1);
    if (auto c = t.find_column("unavailable")) {
      const std::vector<int> off = int_list(t, r, *c, 0, days - 1);
      if (!off.empty()) {
        a.availability.assign(static_cast<std::size_t>(days), DayWindow{});
        for (int d : off) a.availability[static_cast<std::size_t>(d)] = {0.0, 0.0};
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace wfm::schedule
