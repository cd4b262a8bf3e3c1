#include "sim/model/memory_sink.hpp"

namespace tsim::model {

namespace {
template <class T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}
void append_columns(std::vector<std::vector<std::int32_t>>& to, const std::vector<std::vector<std::int32_t>>& from) {
  if (to.size() < from.size()) to.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) append(to[i], from[i]);
}
}  // namespace

void MemorySink::begin(const RunHeader& h) { header = h; }

void MemorySink::events(std::span<const EventRecord> batch) { event_log.insert(event_log.end(), batch.begin(), batch.end()); }

void MemorySink::census(const CensusBatch& b) {
  append(census_table.period, b.period);
  append(census_table.period_end_day, b.period_end_day);
  append(census_table.state, b.state);
  append_columns(census_table.by, b.by);
  append(census_table.headcount, b.headcount);
  append(census_table.fte, b.fte);
}

void MemorySink::flows(const FlowBatch& b) {
  append(flow_table.period, b.period);
  append(flow_table.from_state, b.from_state);
  append(flow_table.to_state, b.to_state);
  append_columns(flow_table.by, b.by);
  append(flow_table.count, b.count);
}

void MemorySink::pools(const PoolBatch& b) {
  append(pool_table.period, b.period);
  append(pool_table.pool, b.pool);
  append(pool_table.capacity, b.capacity);
  append(pool_table.in_use, b.in_use);
  append(pool_table.queue_length, b.queue_length);
  append(pool_table.granted, b.granted);
  append(pool_table.mean_wait_days, b.mean_wait_days);
  append(pool_table.max_wait_days, b.max_wait_days);
}

void MemorySink::persons(const PersonBatch& b) {
  PersonBatch& t = person_table;
  append(t.person_id, b.person_id);
  append_columns(t.attributes, b.attributes);
  append(t.route, b.route);
  append(t.is_initial_stock, b.is_initial_stock);
  append(t.entry_day, b.entry_day);
  append(t.entry_state, b.entry_state);
  append(t.age_at_entry, b.age_at_entry);
  append(t.fte, b.fte);
  append(t.qualified_day, b.qualified_day);
  append(t.qualified_state, b.qualified_state);
  append(t.exit_day, b.exit_day);
  append(t.exit_state, b.exit_state);
}

}  // namespace tsim::model
