#include "runtime/config/options.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace qs::runtime::config {

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

template<class T>
std::function<std::string(const std::string&)> number_setter(T& target, T min, T max) {
  return [&target, min, max](const std::string& text) -> std::string {
    std::istringstream in(text);
    T value{};
    if (!(in >> value) || !in.eof() || value < min || value > max) {
      std::ostringstream why;
      why << "expected a number from " << min << " to " << max << ", got \"" << text << "\"";
      return why.str();
    }
    target = value;
    return "";
  };
}

template<class T> std::function<std::string()> shower(const T& target) {
  return [&target] {
    std::ostringstream out;
    out << target;
    return out.str();
  };
}

} // namespace

option_set& option_set::add(std::string name, std::string help, std::string& target) {
  options_.push_back({std::move(name), std::move(help), false,
                      [&target](const std::string& v) {
                        target = v;
                        return std::string();
                      },
                      [&target] { return target; }});
  return *this;
}

option_set& option_set::add(std::string name, std::string help, int& target, int min, int max) {
  options_.push_back(
      {std::move(name), std::move(help), false, number_setter(target, min, max), shower(target)});
  return *this;
}

option_set& option_set::add(std::string name, std::string help, double& target, double min,
                            double max) {
  options_.push_back(
      {std::move(name), std::move(help), false, number_setter(target, min, max), shower(target)});
  return *this;
}

option_set& option_set::add(std::string name, std::string help, std::size_t& target,
                            std::size_t min, std::size_t max) {
  options_.push_back(
      {std::move(name), std::move(help), false, number_setter(target, min, max), shower(target)});
  return *this;
}

option_set& option_set::flag(std::string name, std::string help, bool& target) {
  options_.push_back(
      {std::move(name), std::move(help), true,
       [&target](const std::string& v) -> std::string {
         std::string lower;
         for (char c : v)
           lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
         if (lower == "" || lower == "1" || lower == "true" || lower == "yes" || lower == "on")
           target = true;
         else if (lower == "0" || lower == "false" || lower == "no" || lower == "off")
           target = false;
         else
           return "expected true or false, got \"" + v + "\"";
         return "";
       },
       [&target] { return std::string(target ? "true" : "false"); }});
  return *this;
}

std::string option_set::env_name(const std::string& name) {
  std::string out = "QSCAN_";
  for (char c : name)
    out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

const option_set::option* option_set::find(const std::string& name) const {
  for (const auto& o : options_)
    if (o.name == name)
      return &o;
  return nullptr;
}

std::string option_set::apply(const std::string& name, const std::string& value,
                              const std::string& source) {
  const auto* o = find(name);
  if (!o)
    return source + ": unknown option " + name;
  auto why = o->set(value);
  return why.empty() ? "" : source + ": --" + name + ": " + why;
}

std::string option_set::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return "cannot read config file " + path;
  std::ostringstream text;
  text << in.rdbuf();
  return load_text(text.str(), path);
}

std::string option_set::load_text(std::string_view text, const std::string& path) {
  std::istringstream in{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos)
      line.erase(hash);
    line = trim(line);
    if (line.empty())
      continue;
    auto eq = line.find('=');
    if (eq == std::string::npos)
      return path + ":" + std::to_string(number) + ": expected name = value";
    auto why = apply(trim(line.substr(0, eq)), trim(line.substr(eq + 1)),
                     path + ":" + std::to_string(number));
    if (!why.empty())
      return why;
  }
  return "";
}

std::string option_set::load(const std::vector<std::string>& args) {
  // The config file comes first, whichever way it was named.
  std::string file;
  if (const char* env = std::getenv("QSCAN_CONFIG"))
    file = env;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size())
      file = args[i + 1];
    else if (args[i].rfind("--config=", 0) == 0)
      file = args[i].substr(9);
  }
  if (!file.empty())
    if (auto why = load_file(file); !why.empty())
      return why;
  for (const auto& o : options_)
    if (const char* env = std::getenv(env_name(o.name).c_str()))
      if (auto why = apply(o.name, env, "environment " + env_name(o.name)); !why.empty())
        return why;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg.rfind("--", 0) != 0)
      return "unexpected argument \"" + arg + "\"";
    std::string name = arg.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.erase(eq);
      has_value = true;
    }
    if (name == "config") {
      i += has_value ? 0 : 1;
      continue;
    }
    const auto* o = find(name);
    if (!o)
      return "unknown option --" + name + " (see --help)";
    if (!has_value && !o->is_switch) {
      if (i + 1 >= args.size())
        return "--" + name + " needs a value";
      value = args[++i];
    }
    if (auto why = apply(name, value, "command line"); !why.empty())
      return why;
  }
  return "";
}

std::string option_set::help() const {
  std::string out =
      "  --config FILE  (QSCAN_CONFIG)\n      read options from FILE: one `name = value` a line\n";
  for (const auto& o : options_) {
    out += "  --" + o.name + (o.is_switch ? "" : " VALUE") + "  (" + env_name(o.name) +
           ", default: " + o.show() + ")\n      " + o.help + "\n";
  }
  out += "\nPrecedence: default < config file < QSCAN_* environment < flag.\n";
  return out;
}

} // namespace qs::runtime::config
