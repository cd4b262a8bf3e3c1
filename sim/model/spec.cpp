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

const char* to_string(StateRole r) {
  switch (r) {
    case StateRole::staff: return "staff";
    case StateRole::trainee: return "trainee";
    case StateRole::vacancy: return "vacancy";
    case StateRole::waiting: return "waiting";
    case StateRole::left_nhs: return "left_nhs";
    case StateRole::moved_within_nhs: return "moved_within_nhs";
    case StateRole::retired: return "retired";
    case StateRole::did_not_complete: return "did_not_complete";
  }
  return "?";
}

std::optional<StateRole> role_from_string(std::string_view name) {
  for (auto r : {StateRole::staff, StateRole::trainee, StateRole::vacancy, StateRole::waiting, StateRole::left_nhs,
                 StateRole::moved_within_nhs, StateRole::retired, StateRole::did_not_complete})
    if (name == to_string(r)) return r;
  return std::nullopt;
}

StateKind kind_of(StateRole r) {
  switch (r) {
    case StateRole::staff: return StateKind::post;
    case StateRole::trainee: return StateKind::training;
    case StateRole::vacancy:
    case StateRole::waiting: return StateKind::waiting;
    default: return StateKind::exit;
  }
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

bool ScenarioSpec::has_providers() const {
  for (const auto& st : states)
    if (st.provides.pool != kNone) return true;
  return false;
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
