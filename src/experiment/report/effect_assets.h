#pragma once
// The effect report's own style sheet and chart script. Detail of effect_html.
#include <string_view>

namespace playsight::experiment {

extern const std::string_view kEffectStyle;
extern const std::string_view kEffectScript;

}  // namespace playsight::experiment
