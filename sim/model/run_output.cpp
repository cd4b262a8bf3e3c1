#include "sim/model/run_output.hpp"

namespace tsim::model {

RunOutput::RunOutput(const RunSchema& schema, RecordLevel level)
    : level_(level),
      keep_events_(writes(level, TableId::events)),
      events_(schema.events),
      census_(schema.census),
      flows_(schema.flows),
      pools_(schema.pools),
      persons_(schema.persons) {
  if (events_.column_count() != 5) throw SchemaError("the events table has five columns");  // as event() writes
  if (keep_events_) open_events();
}

void RunOutput::open_events() {
  namespace c = cols::events;
  events_.resize(kChunkRows);
  event_day_ = events_[c::day].data();
  event_person_ = events_[c::person_id].data();
  event_event_ = events_[c::event].data();
  event_from_ = events_[c::from_state].data();
  event_to_ = events_[c::to_state].data();
  n_events_ = 0;
}

void RunOutput::send(TableBatch& rows) {
  if (sink_ && writes(level_, rows.table())) sink_->append(rows);
  rows.clear();
}

void RunOutput::flush_events() {
  if (n_events_ == 0) return;
  // Cut to the rows written (a no-op for a whole chunk, the usual case), hand
  // over, and open the next chunk in the same memory (growing back to a
  // whole chunk is a no-op too when nothing was cut).
  events_.resize(n_events_);
  if (sink_) sink_->append(events_);
  open_events();
}

void RunOutput::end_period() {
  send(census_);
  send(flows_);
  send(pools_);
}

void RunOutput::persons(const People& people) {
  if (!writes(level_, TableId::persons)) return;
  namespace c = cols::persons;
  const std::size_t n_attrs = people.attribute_count();
  const std::size_t first_attr = persons_.schema().fixed_count();
  people.for_each_row([&](std::uint32_t id, const PersonRecord& r, const std::uint8_t* levels) {
    persons_[c::person_id].push_back(static_cast<std::int32_t>(id));
    persons_[c::route].push_back(r.base.route);
    persons_[c::is_initial_stock].push_back(r.base.route < 0 ? 1 : 0);
    persons_[c::entry_day].push_back(r.base.entry_day);
    persons_[c::entry_state].push_back(r.entry_state);
    persons_[c::age_at_entry].push_back(r.base.age_at_entry);
    persons_[c::fte].push_back(static_cast<double>(r.base.fte_units) / kFteUnit);
    persons_[c::qualified_day].push_back(r.qualified_day);
    persons_[c::qualified_state].push_back(r.qualified_state);
    persons_[c::exit_day].push_back(r.exit_day);
    persons_[c::exit_state].push_back(r.exit_state);
    persons_[c::training_day].push_back(r.training_day);
    persons_[c::training_state].push_back(r.training_state);
    persons_[c::completed_day].push_back(r.completed_day);
    persons_[c::not_completed_day].push_back(r.not_completed_day);
    persons_[c::left_after_completing_day].push_back(r.left_after_completing_day);
    for (std::size_t a = 0; a < n_attrs; ++a) persons_.codes(first_attr + a).push_back(levels[a]);
    if (persons_.size() == kPersonsBatchRows) send(persons_);
  });
  if (!persons_.empty()) send(persons_);
}

}  // namespace tsim::model
