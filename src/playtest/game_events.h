#pragma once
// Game events of a play session (a CSV the game or the moderator writes: time_s,event[,detail],
// time_s in seconds from the start of the video) and the tester's expressions around each kind
// of event: the mean of each expression over the visible seconds of a window around every event
// of the kind, and its difference from the tester's baseline (moments.h), so "deaths make this
// tester frown, bosses surprise them" reads straight off the summary.
//
// read_game_events: InputError "FILE:LINE: column 'x': ..." for a bad value, and for a header
// with a column that is not time_s, event or detail (listing them). Events at or after the end of
// the video cannot be summarised: summarise_events counts them apart (outside_video), never
// silently.
// Thread-safety: pure functions.
#include <string>
#include <vector>

#include "playtest/moments.h"

namespace playsight::playtest {

struct GameEvent {
  double time_s = 0;
  std::string kind;
  std::string detail;
  std::uint64_t line = 0;
};

std::vector<GameEvent> read_game_events(const std::string& path);

struct EventWindow {
  double before_s = 2;  // seconds before the event
  double after_s = 5;   // seconds after it
};

struct EventSummary {
  std::string kind;
  int events = 0;         // of this kind within the video
  int with_face = 0;      // of which had the tester's face in their window
  Expressions mean{};     // over the windows' visible seconds
  Expressions change{};   // mean - baseline
  std::string strongest;  // the expression (not neutral) that rose most
};

struct EventsResult {
  std::vector<EventSummary> kinds;  // in order of first appearance
  int outside_video = 0;            // events at or after the end of the video
  double first_outside_s = 0;
};

EventsResult summarise_events(const std::vector<GameEvent>& events,
                              const std::vector<SecondOfSession>& seconds,
                              const EventWindow& window = {});

}  // namespace playsight::playtest
