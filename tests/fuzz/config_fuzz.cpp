// A config file (`--config FILE`, or QSCAN_CONFIG) with every option of
// `qscan serve` and `qscan node` registered. Invariants: no crash or sanitizer
// report; an error names the source; a file that loads loads again the same.
#include "nodes/node_options.hpp"
#include "runtime/config/options.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using qs::fuzz::require;
  const auto text = qs::fuzz::text_of(data, size);
  qs::nodes::node_options o;
  qs::runtime::config::option_set options;
  qs::nodes::register_options(options, o);
  const auto why = options.load_text(text, "qscan.conf");
  require(why.empty() || why.rfind("qscan.conf:", 0) == 0, "a config error names the file");
  if (why.empty()) {
    qs::nodes::node_options again;
    qs::runtime::config::option_set options2;
    qs::nodes::register_options(options2, again);
    require(options2.load_text(text, "qscan.conf").empty(), "a config file loads only once");
    require(again.common.listen == o.common.listen && again.roles == o.roles,
            "the same file gave other options");
  }
  return 0;
}
