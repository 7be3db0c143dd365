#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "protocol/answer_codec.hpp"
#include "protocol/json_writer.hpp"

using namespace qs::protocol;

TEST_CASE("numbers are written in their shortest form and stay floating point", "[json]") {
  json_writer w;
  w.begin_array().value(0.83).value(1.0).value(std::int64_t{3}).value(1e-7).end_array();
  CHECK(w.str() == "[0.83,1.0,3,1e-07]");
}

TEST_CASE("strings are escaped and the result parses back", "[json]") {
  json_writer w;
  w.begin_object().key("k\"").value(std::string("a\\b\n\x01")).end_object();
  auto v = boost::json::parse(w.str());
  CHECK(v.at("k\"") == "a\\b\n\x01");
}

TEST_CASE("escapes are exact at a string's start, middle and end, for every control byte",
          "[json]") {
  json_writer w;
  w.value(std::string_view("\"ab\tc\\"));
  CHECK(w.str() == R"("\"ab\tc\\")");
  std::string every;
  for (int c = 0; c < 256; ++c)
    every.push_back(static_cast<char>(c));
  json_writer all;
  all.value(every);
  CHECK(all.str().find("\\u001f") != std::string::npos);
  CHECK(all.str().find("\\b\\t\\n\\u000b\\f\\r") != std::string::npos);
  // Bytes above 0x7f pass through as they are (the text is taken as UTF-8).
  CHECK(all.str().substr(all.str().size() - 129, 128) == every.substr(128));
}

TEST_CASE("Boost.JSON documents are embedded unchanged", "[json]") {
  auto doc = boost::json::parse(R"({"a":[1,2.5,"x",null,true,{"b":{}}]})");
  json_writer w;
  w.value(doc);
  CHECK(boost::json::parse(w.str()) == doc);
}

TEST_CASE("errors have one shape with a path per problem", "[json]") {
  auto v = boost::json::parse(
      encode_error("invalid_request", "2 problems", {{"a[0].b", "required"}, {"c", "bad"}}));
  CHECK(v.at("error").at("code") == "invalid_request");
  CHECK(v.at("error").at("details").at(1).at("path") == "c");
  CHECK(v.at("error").at("details").at(0).at("problem") == "required");
}

TEST_CASE("an empty risk assessment is {overall_risk: 0.0, risk_factors: []}", "[json]") {
  risk_assessment r;
  r.empty = true;
  json_writer w;
  write_risk(w, r);
  CHECK(w.str() == R"({"overall_risk":0.0,"risk_factors":[]})");
}
