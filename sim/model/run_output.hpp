// A run's output: rows gathered into batches and handed to the sink in
// chunks (events as they happen, census/flows/pools each period, persons at
// the end), keeping only the tables the record level writes.
#pragma once

#include <cstdint>

#include "sim/model/person.hpp"
#include "sim/model/sink.hpp"

namespace tsim::model {

class RunOutput {
 public:
  /// Rows per chunk handed to the sink (the HDF5 chunk size, docs/OUTPUT.md).
  static constexpr std::size_t kChunkRows = 1 << 16;
  /// Rows of /persons per batch: the writer gathers whole chunks itself, so a
  /// smaller batch only saves memory at the end of the run, when it peaks.
  static constexpr std::size_t kPersonsBatchRows = 1 << 13;

  /// `schema` must outlive the RunOutput.
  RunOutput(const RunSchema& schema, RecordLevel level);
  // Not copied: event() writes through pointers into this object's own batch.
  RunOutput(const RunOutput&) = delete;
  RunOutput& operator=(const RunOutput&) = delete;

  void attach(RunSink& sink) { sink_ = &sink; }
  /// One state change (or arrival, from = -1, or pool event, from = to) at `day`.
  /// Written straight into the open chunk's columns: this runs for every
  /// record, and five push_backs through the batch's typed columns cost the
  /// reference workload ~15% of a full run (bench/README.md, sixth pass).
  void event(double day, std::uint32_t person, int event, int from, int to) {
    if (!keep_events_) return;
    const std::size_t i = n_events_;
    event_day_[i] = day;
    event_person_[i] = static_cast<std::int32_t>(person);
    event_event_[i] = event;
    event_from_[i] = from;
    event_to_[i] = to;
    if (++n_events_ == kChunkRows) flush_events();
  }
  /// Whether event() keeps anything (the record level writes /events).
  [[nodiscard]] bool keeps_events() const noexcept { return keep_events_; }
  void flush_events();
  /// Batches for one census period's rows, handed over by end_period().
  [[nodiscard]] TableBatch& census() { return census_; }
  [[nodiscard]] TableBatch& flows() { return flows_; }
  [[nodiscard]] TableBatch& pools() { return pools_; }
  void end_period();
  /// Every person, in person_id order, in chunks (not at record level summary).
  void persons(const People& people);

 private:
  void send(TableBatch& rows);
  // Sizes the /events columns to a whole chunk and points at them.
  void open_events();

  RunSink* sink_ = nullptr;
  RecordLevel level_;
  bool keep_events_;
  TableBatch events_, census_, flows_, pools_, persons_;
  // The open /events chunk: events_'s columns, kChunkRows long, the first
  // n_events_ filled (the batch is cut to them when it is handed over).
  std::size_t n_events_ = 0;
  double* event_day_ = nullptr;
  std::int32_t* event_person_ = nullptr;
  std::int32_t* event_event_ = nullptr;
  std::int32_t* event_from_ = nullptr;
  std::int32_t* event_to_ = nullptr;
};

}  // namespace tsim::model
