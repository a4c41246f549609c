#include "tasks/task.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/error.h"
#include "core/time.h"

namespace playsight::tasks {
namespace {

using json = nlohmann::json;

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

// How an option is named in a message: "--window-days" on the command line, "window_days" in
// a JSON object (the jobs API).
struct Naming {
  bool json = false;
  std::string operator()(const Option& option) const {
    return json ? "options." + json_name(option) : option.flag_text();
  }
};

long long parse_integer(const std::string& text, bool& ok) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  ok = used > 0 && used == text.size() && !std::isspace(static_cast<unsigned char>(text[0]));
  return value;
}

double parse_number(const std::string& text, bool& ok) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  ok = used > 0 && used == text.size() && std::isfinite(value) &&
       !std::isspace(static_cast<unsigned char>(text[0]));
  return value;
}

std::string joined(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

void check_range(const Option& option, double value, const std::string& shown,
                 const Naming& naming) {
  if (option.minimum && value < *option.minimum)
    throw InputError(naming(option) + ": expected at least " + number_text(*option.minimum) +
                     ", got " + shown);
  if (option.maximum && value > *option.maximum)
    throw InputError(naming(option) + ": expected at most " + number_text(*option.maximum) +
                     ", got " + shown);
}

// One value from its text, checked against the option's type.
json value_of(const Option& option, const std::string& text, const Naming& naming) {
  bool ok = false;
  switch (option.type) {
    case Type::kText:
    case Type::kPath:
      return text;
    case Type::kInteger: {
      const long long value = parse_integer(text, ok);
      if (!ok)
        throw InputError(naming(option) + ": expected a whole number, got " +
                         quote_for_message(text));
      check_range(option, static_cast<double>(value), text, naming);
      return value;
    }
    case Type::kNumber: {
      const double value = parse_number(text, ok);
      if (!ok)
        throw InputError(naming(option) + ": expected a number, got " + quote_for_message(text));
      check_range(option, value, text, naming);
      return value;
    }
    case Type::kFlag:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      throw InputError(naming(option) + ": expected true or false, got " + quote_for_message(text));
    case Type::kChoice:
      if (std::find(option.choices.begin(), option.choices.end(), text) == option.choices.end())
        throw InputError(naming(option) + ": expected one of " + joined(option.choices) + ", got " +
                         quote_for_message(text));
      return text;
    case Type::kDate:
      if (text.empty()) return text;
      try {
        parse_date(text);
      } catch (const FieldError& error) {
        throw InputError(naming(option) + ": " + error.what());
      }
      return text;
    case Type::kList:
      break;
  }
  throw std::logic_error("value_of: a list has no single value");
}

// A list from texts: each text may itself be a comma-separated list.
json list_of(const Option& option, const std::vector<std::string>& texts) {
  json items = json::array();
  for (const std::string& text : texts) {
    if (option.positional()) {
      items.push_back(text);
      continue;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t comma = std::min(text.find(',', start), text.size());
      if (comma > start) items.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return items;
}

json default_of(const Option& option) {
  const Naming naming;
  if (option.type == Type::kFlag) return false;
  if (option.type == Type::kList)
    return option.default_value.empty() ? json::array() : list_of(option, {option.default_value});
  if (option.default_value.empty() &&
      (option.type == Type::kInteger || option.type == Type::kNumber))
    return nullptr;  // no default: absent unless given
  if (option.default_value.empty()) return "";
  return value_of(option, option.default_value, naming);
}

// Fills the options not given with their defaults and checks the required ones.
Values complete(const Task& task, json values, std::vector<std::string> given,
                const Naming& naming) {
  for (const Option& option : task.options) {
    if (values.contains(option.name)) continue;
    if (option.required)
      throw InputError(naming(option) + " is required (" + task.name + ": " + option.help + ")");
    values[option.name] = default_of(option);
  }
  return Values(std::move(values), std::move(given));
}

std::string known_options(const Task& task, const Naming& naming) {
  std::vector<std::string> names;
  for (const Option& option : task.options) {
    std::string name = naming(option);
    if (naming.json) name = name.substr(std::string("options.").size());
    names.push_back(name);
  }
  return joined(names);
}

}  // namespace

const char* type_name(Type type) {
  switch (type) {
    case Type::kText:
      return "TEXT";
    case Type::kPath:
      return "PATH";
    case Type::kInteger:
      return "INT";
    case Type::kNumber:
      return "NUMBER";
    case Type::kFlag:
      return "";
    case Type::kChoice:
      return "CHOICE";
    case Type::kDate:
      return "YYYY-MM-DD";
    case Type::kList:
      return "LIST";
  }
  return "";
}

Option Option::text(std::string name, std::string help, std::string default_value) {
  Option option;
  option.name = std::move(name);
  option.help = std::move(help);
  option.default_value = std::move(default_value);
  return option;
}

Option Option::path(std::string name, std::string help, std::string default_value) {
  Option option = text(std::move(name), std::move(help), std::move(default_value));
  option.type = Type::kPath;
  return option;
}

Option Option::integer(std::string name, std::string help, long long default_value) {
  Option option = text(std::move(name), std::move(help), std::to_string(default_value));
  option.type = Type::kInteger;
  return option;
}

Option Option::number(std::string name, std::string help, double default_value) {
  Option option = text(std::move(name), std::move(help), number_text(default_value));
  option.type = Type::kNumber;
  return option;
}

Option Option::flag(std::string name, std::string help) {
  Option option = text(std::move(name), std::move(help));
  option.type = Type::kFlag;
  return option;
}

Option Option::choice(std::string name, std::string help, std::vector<std::string> choices,
                      std::string default_value) {
  Option option = text(std::move(name), std::move(help), std::move(default_value));
  option.type = Type::kChoice;
  option.choices = std::move(choices);
  return option;
}

Option Option::date(std::string name, std::string help, std::string default_value) {
  Option option = text(std::move(name), std::move(help), std::move(default_value));
  option.type = Type::kDate;
  return option;
}

Option Option::list(std::string name, std::string help, std::string default_value) {
  Option option = text(std::move(name), std::move(help), std::move(default_value));
  option.type = Type::kList;
  return option;
}

std::string json_name(const Option& option) {
  std::string name = option.name;
  std::replace(name.begin(), name.end(), '-', '_');
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

bool Option::positional() const {
  return !name.empty() && std::isupper(static_cast<unsigned char>(name[0]));
}

std::string Option::flag_text() const {
  return positional() ? name : "--" + name;
}

const Option* Task::option(const std::string& option_name) const {
  for (const Option& candidate : options)
    if (candidate.name == option_name) return &candidate;
  return nullptr;
}

namespace shared {

Option out(std::string what, std::string default_value) {
  return Option::path("out", std::move(what), std::move(default_value));
}

Option threads() {
  return Option::integer("threads", "worker threads (0 = one per core)", 0).at_least(0);
}

Option seed(std::string what, long long default_value) {
  return Option::integer("seed", std::move(what), default_value).at_least(0);
}

Option progress() {
  return Option::choice("progress", "progress bars on stderr (auto: when it is a terminal)",
                        {"auto", "always", "never"}, "auto");
}

}  // namespace shared

const nlohmann::json& Values::at(const std::string& name) const {
  const auto found = values_.find(name);
  if (found == values_.end()) throw std::logic_error("no option '" + name + "' was declared");
  return *found;
}

const std::string& Values::text(const std::string& name) const {
  const nlohmann::json& value = at(name);
  if (!value.is_string()) throw std::logic_error("option '" + name + "' is not a text");
  return value.get_ref<const std::string&>();
}

long long Values::integer(const std::string& name) const {
  const nlohmann::json& value = at(name);
  if (!value.is_number_integer()) throw std::logic_error("option '" + name + "' has no integer");
  return value.get<long long>();
}

double Values::number(const std::string& name) const {
  const nlohmann::json& value = at(name);
  if (!value.is_number()) throw std::logic_error("option '" + name + "' has no number");
  return value.get<double>();
}

bool Values::flag(const std::string& name) const {
  const nlohmann::json& value = at(name);
  if (!value.is_boolean()) throw std::logic_error("option '" + name + "' is not a flag");
  return value.get<bool>();
}

std::vector<std::string> Values::list(const std::string& name) const {
  const nlohmann::json& value = at(name);
  if (!value.is_array()) throw std::logic_error("option '" + name + "' is not a list");
  return value.get<std::vector<std::string>>();
}

bool Values::given(const std::string& name) const {
  at(name);
  return std::find(given_.begin(), given_.end(), name) != given_.end();
}

bool Values::has(const std::string& name) const {
  const nlohmann::json& value = at(name);
  if (value.is_null()) return false;
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  if (value.is_array()) return !value.empty();
  return true;
}

Values values_from_text(const Task& task,
                        const std::map<std::string, std::vector<std::string>>& given) {
  const Naming naming;
  json values = json::object();
  std::vector<std::string> names;
  for (const auto& [name, texts] : given) {
    const Option* option = task.option(name);
    if (!option) throw InputError("--" + name + ": not an option of " + task.name);
    if (option->type == Type::kList)
      values[name] = list_of(*option, texts);
    else if (texts.empty())
      continue;
    else
      values[name] = value_of(*option, texts.back(), naming);
    names.push_back(name);
  }
  return complete(task, std::move(values), std::move(names), naming);
}

Values values_from_arguments(const Task& task, const std::vector<std::string>& arguments) {
  std::map<std::string, std::vector<std::string>> given;
  std::vector<const Option*> positionals;
  for (const Option& option : task.options)
    if (option.positional()) positionals.push_back(&option);
  std::size_t next_positional = 0;
  bool only_positionals = false;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& word = arguments[i];
    if (!only_positionals && word == "--") {
      only_positionals = true;
      continue;
    }
    if (only_positionals || !word.starts_with("--")) {
      if (next_positional >= positionals.size())
        throw InputError(quote_for_message(word) + ": " + task.name +
                         " takes no more arguments (put options as --name value)");
      const Option& option = *positionals[next_positional];
      given[option.name].push_back(word);
      if (!option.rest && option.type != Type::kList) ++next_positional;
      continue;
    }
    const std::size_t equals = word.find('=');
    const std::string name =
        word.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const Option* option = task.option(name);
    if (!option || option->positional())
      throw InputError("--" + name + ": not an option of " + task.name);
    if (option->type == Type::kFlag) {
      given[name] = {equals == std::string::npos ? "true" : word.substr(equals + 1)};
    } else if (equals != std::string::npos) {
      given[name].push_back(word.substr(equals + 1));
    } else {
      if (i + 1 >= arguments.size()) throw InputError("--" + name + ": a value is missing");
      given[name].push_back(arguments[++i]);
    }
  }
  return values_from_text(task, given);
}

Values values_from_json(const Task& task, const json& options) {
  const Naming naming{true};
  if (!options.is_object())
    throw InputError(
        "options: expected a JSON object of option names and values, e.g. "
        "{\"out\": \"report\"}");
  json values = json::object();
  std::vector<std::string> names;
  for (const auto& [key, value] : options.items()) {
    const Option* option = nullptr;
    for (const Option& candidate : task.options)
      if (json_name(candidate) == key) option = &candidate;
    if (!option)
      throw InputError("options." + key + ": not an option of " + task.name +
                       " (its options: " + known_options(task, naming) + ")");
    std::vector<std::string> texts;
    if (option->type == Type::kList && value.is_array()) {
      for (const json& item : value) {
        if (!item.is_string())
          throw InputError(naming(*option) + ": expected a list of texts, got " + item.dump());
        texts.push_back(item.get<std::string>());
      }
      values[option->name] = list_of(*option, texts);
    } else if (option->type == Type::kFlag) {
      if (!value.is_boolean())
        throw InputError(naming(*option) + ": expected true or false, got " + value.dump());
      values[option->name] = value.get<bool>();
    } else if (value.is_string()) {
      values[option->name] = option->type == Type::kList
                                 ? list_of(*option, {value.get<std::string>()})
                                 : value_of(*option, value.get<std::string>(), naming);
    } else if (value.is_number() &&
               (option->type == Type::kInteger || option->type == Type::kNumber)) {
      if (option->type == Type::kInteger && !value.is_number_integer())
        throw InputError(naming(*option) + ": expected a whole number, got " + value.dump());
      values[option->name] = value_of(*option, value.dump(), naming);
    } else {
      throw InputError(naming(*option) + ": expected " +
                       (option->type == Type::kInteger || option->type == Type::kNumber
                            ? "a number"
                            : "a text") +
                       ", got " + value.dump());
    }
    names.push_back(option->name);
  }
  return complete(task, std::move(values), std::move(names), naming);
}

std::vector<std::string> command_line(const Task& task, const Values& values) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < task.name.size()) {
    const std::size_t space = std::min(task.name.find(' ', start), task.name.size());
    words.push_back(task.name.substr(start, space - start));
    start = space + 1;
  }
  std::vector<std::string> positionals;
  for (const Option& option : task.options) {
    if (!values.given(option.name)) continue;
    const json& value = values.json().at(option.name);
    std::vector<std::string> texts;
    if (value.is_array())
      texts = value.get<std::vector<std::string>>();
    else if (value.is_string())
      texts = {value.get<std::string>()};
    else if (value.is_boolean())
      texts = {};
    else if (value.is_number_integer())
      texts = {std::to_string(value.get<long long>())};
    else if (value.is_number())
      texts = {number_text(value.get<double>())};
    if (option.positional()) {
      positionals.insert(positionals.end(), texts.begin(), texts.end());
      continue;
    }
    if (value.is_boolean()) {
      if (value.get<bool>()) words.push_back(option.flag_text());
      continue;
    }
    for (const std::string& text : texts) {
      words.push_back(option.flag_text());
      words.push_back(text);
    }
  }
  if (!positionals.empty()) {
    words.push_back("--");
    words.insert(words.end(), positionals.begin(), positionals.end());
  }
  return words;
}

}  // namespace playsight::tasks
