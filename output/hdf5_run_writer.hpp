// The HDF5 backend of the run sink: one file per run, exactly as
// docs/OUTPUT.md lays it out. Columnar, chunked (64 Ki elements), deflate 4
// with shuffle on integer columns, object timestamps off so the same run
// gives the same bytes. Written as <name>.partial and renamed by finish().
#pragma once

#include <memory>
#include <string>

#include "sim/model/sink.hpp"

namespace tsim::output {

class Hdf5RunWriter final : public model::RunSink {
 public:
  /// Will write `final_path` (creating "<final_path>.partial" first).
  explicit Hdf5RunWriter(std::string final_path);
  /// A writer destroyed before finish() removes its partial file.
  ~Hdf5RunWriter() override;

  void begin(const model::RunHeader& header) override;
  void events(std::span<const model::EventRecord> batch) override;
  void census(const model::CensusBatch& batch) override;
  void flows(const model::FlowBatch& batch) override;
  void pools(const model::PoolBatch& batch) override;
  void persons(const model::PersonBatch& batch) override;
  void finish() override;

  /// Bytes of the finished file (0 before finish()).
  [[nodiscard]] std::uint64_t bytes_written() const noexcept { return bytes_; }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::string final_path_;
  std::uint64_t bytes_ = 0;
};

}  // namespace tsim::output
