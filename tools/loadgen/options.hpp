#pragma once
// Command-line options of qs-loadgen and their limits.

#include <string>

namespace qs::loadgen {

struct Options {
  std::string url;
  std::string body_file; // empty: no body
  std::string method;    // default POST with a body, GET without
  std::string content_type = "application/json";
  double rate = 0;     // requests per second, all connections together
  double duration = 0; // measured seconds, after the warm-up
  int connections = 0;
  int threads = 1;
  double warmup = 0;       // seconds of load before measuring
  double drain = 5;        // seconds to wait for late responses after the schedule ends
  int pid = 0;             // process whose RSS to sample; 0: none
  double sample_every = 5; // seconds between RSS samples
  bool json = false;
  bool help = false;
};

// Parses and validates argv; throws std::invalid_argument with a message for the user.
Options parse_options(int argc, char** argv);

const char* usage();

} // namespace qs::loadgen
