#include "options.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace qs::loadgen {
namespace {

double to_number(const std::string& name, const std::string& text, double low, double high) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value)) {
    throw std::invalid_argument("--" + name + " needs a number, got '" + text + "'");
  }
  if (value < low || value > high) {
    std::ostringstream message;
    message << "--" << name << " must be between " << low << " and " << high << ", got " << text;
    throw std::invalid_argument(message.str());
  }
  return value;
}

int to_integer(const std::string& name, const std::string& text, int low, int high) {
  double value = to_number(name, text, low, high);
  if (value != std::floor(value)) {
    throw std::invalid_argument("--" + name + " needs a whole number, got '" + text + "'");
  }
  return static_cast<int>(value);
}

} // namespace

const char* usage() {
  return "usage: qs-loadgen --url http://127.0.0.1:PORT/PATH --rate R --duration S --connections "
         "C\n"
         "                  [--body-file F] [--method M] [--content-type T] [--threads T]\n"
         "                  [--warmup S] [--drain S] [--pid PID] [--sample-every S] [--json]\n"
         "\n"
         "Open-loop HTTP/1.1 load: requests are scheduled every 1/R seconds over keep-alive\n"
         "connections (one request outstanding per connection) and their latency is measured\n"
         "from the scheduled send time, so a slow server cannot hide its queueing delay.\n"
         "\n"
         "  --url URL          loopback only: 127.0.0.0/8, [::1] or localhost\n"
         "  --rate R           requests per second in total (up to 1000000)\n"
         "  --duration S       seconds measured after the warm-up (up to 3600)\n"
         "  --connections C    keep-alive connections (up to 10000)\n"
         "  --body-file F      request body; makes the default method POST\n"
         "  --method M         GET, POST, PUT, ... (default POST with a body, else GET)\n"
         "  --content-type T   default application/json\n"
         "  --threads T        event-loop threads sharing the connections (default 1)\n"
         "  --warmup S         seconds of load before measuring (default 0, up to 600)\n"
         "  --drain S          seconds to wait for late responses at the end (default 5)\n"
         "  --pid PID          sample this process's RSS (VmRSS) during the measurement\n"
         "  --sample-every S   seconds between RSS samples (default 5)\n"
         "  --json             print one JSON object instead of text\n";
}

Options parse_options(int argc, char** argv) {
  Options options;
  bool have_rate = false;
  bool have_duration = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      options.help = true;
      return options;
    }
    if (arg == "--json") {
      options.json = true;
      continue;
    }
    if (arg.compare(0, 2, "--") != 0) {
      throw std::invalid_argument("unexpected argument '" + arg + "'");
    }
    std::string name = arg.substr(2);
    std::string value;
    auto equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw std::invalid_argument("--" + name + " needs a value");
    }
    if (name == "url") {
      options.url = value;
    } else if (name == "body-file") {
      options.body_file = value;
    } else if (name == "method") {
      options.method = value;
    } else if (name == "content-type") {
      options.content_type = value;
    } else if (name == "rate") {
      options.rate = to_number(name, value, 0.001, 1e6);
      have_rate = true;
    } else if (name == "duration") {
      options.duration = to_number(name, value, 0.001, 3600);
      have_duration = true;
    } else if (name == "connections") {
      options.connections = to_integer(name, value, 1, 10000);
    } else if (name == "threads") {
      options.threads = to_integer(name, value, 1, 64);
    } else if (name == "warmup") {
      options.warmup = to_number(name, value, 0, 600);
    } else if (name == "drain") {
      options.drain = to_number(name, value, 0, 60);
    } else if (name == "pid") {
      options.pid = to_integer(name, value, 1, 1 << 30);
    } else if (name == "sample-every") {
      options.sample_every = to_number(name, value, 0.01, 3600);
    } else {
      throw std::invalid_argument("unknown option --" + name);
    }
  }
  if (options.url.empty()) {
    throw std::invalid_argument("--url is required");
  }
  if (!have_rate) {
    throw std::invalid_argument("--rate is required");
  }
  if (!have_duration) {
    throw std::invalid_argument("--duration is required");
  }
  if (options.connections == 0) {
    throw std::invalid_argument("--connections is required");
  }
  if (options.threads > options.connections) {
    throw std::invalid_argument("--threads cannot exceed --connections");
  }
  if (options.method.empty()) {
    options.method = options.body_file.empty() ? "GET" : "POST";
  }
  if (options.method.find_first_of(" \r\n") != std::string::npos ||
      options.content_type.find_first_of("\r\n") != std::string::npos) {
    throw std::invalid_argument("--method and --content-type cannot contain spaces or line breaks");
  }
  return options;
}

} // namespace qs::loadgen
