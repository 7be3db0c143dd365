// Small builders for the bridge's HTTP answers: a JSON body with a status,
// and an error in the one shape every error uses.
#pragma once

#include <string>
#include <string_view>

#include "protocol/answer_codec.hpp"
#include "runtime/http/message.hpp"

namespace qs::actors {

inline runtime::http::response json_response(unsigned status, std::string body) {
  runtime::http::response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

inline runtime::http::response error_response(unsigned status, std::string_view code,
                                              std::string_view message,
                                              const protocol::problems& details = {}) {
  return json_response(status, protocol::encode_error(code, message, details));
}

} // namespace qs::actors
