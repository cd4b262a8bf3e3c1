#include "sim/model/spec.hpp"

namespace tsim::model {

const char* to_string(StateKind k) {
  switch (k) {
    case StateKind::waiting: return "waiting";
    case StateKind::training: return "training";
    case StateKind::post: return "post";
    case StateKind::exit: return "exit";
  }
  return "?";
}

const char* to_string(RecordLevel r) {
  switch (r) {
    case RecordLevel::full: return "full";
    case RecordLevel::census: return "census";
    case RecordLevel::summary: return "summary";
  }
  return "?";
}

std::uint32_t name_hash(const std::string& name) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : name) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

int ScenarioSpec::state_index(const std::string& n) const {
  for (std::size_t i = 0; i < states.size(); ++i)
    if (states[i].name == n) return static_cast<int>(i);
  return kNone;
}

int ScenarioSpec::event_index(const std::string& n) const {
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i] == n) return static_cast<int>(i);
  return kNone;
}

int ScenarioSpec::intern_event(const std::string& n) {
  const int i = event_index(n);
  if (i != kNone) return i;
  events.push_back(n);
  return static_cast<int>(events.size() - 1);
}

}  // namespace tsim::model
