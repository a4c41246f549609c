#pragma once
// Reports of play sessions: the session as JSON (numbers only: the per-second timeline, moments,
// covered stretches, event summaries; never an image), one self-contained HTML page (the
// timeline chart with the covered stretches, the moments table, the expressions around events),
// the terminal summary, and the summary across sessions of one build (expressions around each
// kind of event, averaged over testers) from several session JSON files.
// Thread-safety: pure functions.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "playtest/expression_eval.h"
#include "playtest/play_session.h"

namespace playsight::playtest {

nlohmann::ordered_json second_json(const SecondOfSession& second);
nlohmann::ordered_json session_json(const SessionResult& result, const SessionOptions& options);
std::string session_html(const SessionResult& result, const SessionOptions& options);
std::string session_summary(const SessionResult& result);

nlohmann::ordered_json eval_json(const ExpressionEval& eval);
std::string eval_summary(const ExpressionEval& eval);

// Across sessions (their session.json files): per build and event kind, the mean change of each
// expression from the testers' baselines, weighted by events. Throws InputError naming a file
// that is not a playsight session report.
nlohmann::ordered_json sessions_summary(const std::vector<std::string>& session_files);
std::string sessions_summary_text(const nlohmann::ordered_json& summary);

}  // namespace playsight::playtest
