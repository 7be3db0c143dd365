// Command options that can be set four ways, later ones winning:
//   built-in default < config file (--config FILE or QSCAN_CONFIG) <
//   environment (QSCAN_<NAME>, e.g. QSCAN_DATA_DIR) < command-line flag.
// A config file has one `name = value` per line ('#' starts a comment), with
// the flag names: `listen = 127.0.0.1:8000`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace qs::runtime::config {

class option_set {
public:
  /// Binds a string option to `target`.
  option_set& add(std::string name, std::string help, std::string& target);
  option_set& add(std::string name, std::string help, int& target, int min, int max);
  option_set& add(std::string name, std::string help, double& target, double min, double max);
  option_set& add(std::string name, std::string help, std::size_t& target, std::size_t min,
                  std::size_t max);
  /// A switch: `--name` alone sets it; env and file take true/false/1/0/yes/no.
  option_set& flag(std::string name, std::string help, bool& target);

  /// Applies file, environment and `args` (flags after the sub-command) in
  /// order. Returns "" or an error sentence naming the bad option and source.
  std::string load(const std::vector<std::string>& args);

  /// Applies a config file's text (`source` names it in errors).
  std::string load_text(std::string_view text, const std::string& source);

  /// One line per option: flag, environment variable, default, help.
  std::string help() const;

  /// The environment variable for an option name: "data-dir" -> "QSCAN_DATA_DIR".
  static std::string env_name(const std::string& name);

private:
  struct option {
    std::string name, help;
    bool is_switch = false;
    std::function<std::string(const std::string&)> set; ///< "" or why the value is bad
    std::function<std::string()> show;
  };
  std::string apply(const std::string& name, const std::string& value, const std::string& source);
  std::string load_file(const std::string& path);
  const option* find(const std::string& name) const;

  std::vector<option> options_;
};

} // namespace qs::runtime::config
