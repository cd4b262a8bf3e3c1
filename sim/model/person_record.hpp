// A person's row of /persons as the run fills it in (PersonRecord) and the
// part of it the run itself reads (PersonBasics). Apart from People
// (person.hpp) so that the store of leavers' rows (leaver_rows.hpp) can hold
// them without People.
#pragma once

#include <cstdint>
#include <limits>

namespace tsim::model {

/// What the run itself reads of a person's /persons row: an age-clock hazard
/// (entry_day, age_at_entry) and a queue that ranks by route. Kept for
/// everybody present, at every record level.
struct PersonBasics {
  double entry_day = 0;
  double age_at_entry = 0;       // years
  std::int32_t route = -1;       // -1 for initial stock
  std::int32_t fte_units = 0;    // in a /persons row only: the FTE at the end (or on leaving), x kFteUnit
};

/// A person's row of /persons (docs/OUTPUT.md): days since start (NaN if it
/// never happened) and states (-1 if none). Kept only where the record level
/// writes /persons (for everyone, by id); elsewhere only the basics are.
struct PersonRecord {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  PersonBasics base;
  double qualified_day = kNaN;
  double exit_day = kNaN;
  double training_day = kNaN;    // first entry into a trainee state (negative for stock placed there)
  // The training outcome (docs/INDICATORS.md, "Training pipeline"): the day
  // of the first state after training_day that is qualified (completed) or
  // an exit or an unqualified post (not completed); NaN while undecided.
  double completed_day = kNaN;
  double not_completed_day = kNaN;
  double left_after_completing_day = kNaN;  // first move from a staff or trainee role to any other after completing
  std::int16_t entry_state = -1;
  std::int16_t exit_state = -1;
  std::int16_t qualified_state = -1;
  std::int16_t training_state = -1;
};

static_assert(sizeof(PersonRecord) == 80, "no padding: rows are copied as bytes (leaver_rows.hpp)");

}  // namespace tsim::model
