#include "actors/scanner/report_read.hpp"

#include <boost/json/parse.hpp>

#include <cmath>
#include <limits>

#include "actors/scanner/target.hpp"

namespace qs::scanner {
namespace {

namespace json = boost::json;

// Reads members of one object, remembering the first type error with its path.
class reader {
public:
  reader(const json::value& v, std::string path, std::string* error)
      : path_(std::move(path)), error_(error) {
    if (v.is_object())
      object_ = &v.get_object();
    else if (!v.is_null())
      fail("", "an object");
  }

  const json::value* member(std::string_view key) const {
    if (!object_)
      return nullptr;
    auto it = object_->find(key);
    return it == object_->end() || it->value().is_null() ? nullptr : &it->value();
  }
  std::string at(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  std::string text(std::string_view key) {
    auto* v = member(key);
    if (!v)
      return {};
    if (!v->is_string())
      return fail(key, "a string"), std::string();
    return std::string(v->get_string());
  }
  long long number(std::string_view key) {
    auto* v = member(key);
    if (!v)
      return 0;
    if (v->is_int64())
      return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= std::numeric_limits<long long>::max())
      return static_cast<long long>(v->get_uint64());
    // 2^63 is exact as a double; anything from it up does not fit.
    if (v->is_double()) {
      const double d = v->get_double();
      if (std::trunc(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return static_cast<long long>(d);
    }
    return fail(key, "an integer from -2^63 to 2^63-1"), 0;
  }
  double real(std::string_view key) {
    auto* v = member(key);
    if (!v)
      return 0;
    if (v->is_number())
      return v->to_number<double>();
    return fail(key, "a number"), 0;
  }
  bool flag(std::string_view key) {
    auto* v = member(key);
    if (!v)
      return false;
    if (!v->is_bool())
      return fail(key, "true or false"), false;
    return v->get_bool();
  }
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    for (auto& [i, v] : items(key)) {
      if (v->is_string())
        out.emplace_back(v->get_string());
      else
        fail(std::string(key) + "[" + std::to_string(i) + "]", "a string");
    }
    return out;
  }
  /// The elements of an array member, with their indices.
  std::vector<std::pair<std::size_t, const json::value*>> items(std::string_view key) {
    std::vector<std::pair<std::size_t, const json::value*>> out;
    auto* v = member(key);
    if (!v)
      return out;
    if (!v->is_array())
      return fail(key, "an array"), out;
    for (std::size_t i = 0; i < v->get_array().size(); ++i)
      out.emplace_back(i, &v->get_array()[i]);
    return out;
  }
  /// An object member of string arrays ("cipher_suites": {"TLSv1.2": [...]}).
  std::map<std::string, std::vector<std::string>> string_lists(std::string_view key) {
    std::map<std::string, std::vector<std::string>> out;
    auto* v = member(key);
    if (!v)
      return out;
    reader inner(*v, at(key), error_);
    if (v->is_object())
      for (const auto& entry : v->get_object())
        out[std::string(entry.key())] = inner.strings(entry.key());
    return out;
  }
  std::map<std::string, bool> flags(std::string_view key) {
    std::map<std::string, bool> out;
    auto* v = member(key);
    if (!v)
      return out;
    reader inner(*v, at(key), error_);
    if (v->is_object())
      for (const auto& entry : v->get_object())
        out[std::string(entry.key())] = inner.flag(entry.key());
    return out;
  }
  reader child(std::string_view key) const {
    static const json::value null;
    auto* v = member(key);
    return reader(v ? *v : null, at(key), error_);
  }
  reader element(std::string_view key, std::size_t i, const json::value& v) const {
    return reader(v, at(key) + "[" + std::to_string(i) + "]", error_);
  }
  bool present() const { return object_ != nullptr; }

private:
  void fail(std::string_view key, const char* expected) {
    if (error_->empty())
      *error_ = (key.empty() ? path_ : at(key)) + ": expected " + expected;
  }

  const json::object* object_ = nullptr;
  std::string path_;
  std::string* error_;
};

certificate_info read_certificate(reader r) {
  certificate_info c;
  c.subject = r.text("subject");
  c.issuer = r.text("issuer");
  c.key.type = r.text("key_type");
  c.key.bits = static_cast<int>(r.number("key_bits"));
  c.key.curve = r.text("curve");
  c.signature_algorithm = r.text("signature_algorithm");
  c.not_before = r.text("not_before");
  c.not_after = r.text("not_after");
  c.sha256 = r.text("sha256");
  c.serial = r.text("serial");
  c.dns_names = r.strings("dns_names");
  c.ip_addresses = r.strings("ip_addresses");
  c.self_signed = r.flag("self_signed");
  c.is_ca = r.flag("ca");
  return c;
}

tls_inventory read_tls(reader r) {
  tls_inventory t;
  t.protocols = r.strings("protocols");
  t.cipher_suites = r.string_lists("cipher_suites");
  t.server_cipher_order = r.flags("server_cipher_order");
  t.groups = r.strings("groups");
  t.groups_by_version = r.string_lists("groups_by_version");
  t.group_preference = r.text("group_preference");
  t.preferred_group = r.text("preferred_group");
  t.signature_schemes = r.strings("signature_schemes");
  t.alpn = r.text("alpn");
  for (auto& [i, v] : r.items("certificates")) {
    auto c = r.element("certificates", i, *v);
    served_certificate served;
    served.chain = static_cast<int>(c.number("chain"));
    served.position = static_cast<int>(c.number("position"));
    served.info = read_certificate(c);
    t.certificates.push_back(std::move(served));
  }
  return t;
}

ssh_inventory read_ssh(reader r) {
  ssh_inventory s;
  s.banner = r.text("banner");
  s.kex = r.strings("kex");
  s.host_key_algorithms = r.strings("host_key_algorithms");
  for (auto& [i, v] : r.items("host_keys")) {
    auto k = r.element("host_keys", i, *v);
    s.host_keys.push_back({k.text("type"), static_cast<int>(k.number("bits")), k.text("sha256")});
  }
  s.ciphers = r.strings("ciphers");
  s.macs = r.strings("macs");
  s.compression = r.strings("compression");
  return s;
}

file_inventory read_file(reader r) {
  file_inventory f;
  f.path = r.text("path");
  for (auto& [i, v] : r.items("items")) {
    auto e = r.element("items", i, *v);
    file_item item;
    item.kind = e.text("kind");
    item.line = static_cast<int>(e.number("line"));
    item.key.type = e.text("key_type");
    item.key.bits = static_cast<int>(e.number("key_bits"));
    item.key.curve = e.text("curve");
    item.encrypted = e.flag("encrypted");
    item.comment = e.text("comment");
    if (auto cert = e.child("certificate"); cert.present())
      item.certificate = read_certificate(cert);
    f.items.push_back(std::move(item));
  }
  return f;
}

} // namespace

std::variant<target_result, std::string> read_result(const json::value& v) {
  std::string error;
  if (!v.is_object())
    return std::string("expected an object");
  reader r(v, "", &error);
  target_result out;
  out.target = r.text("target");
  const auto kind = r.text("kind");
  if (kind == "tls")
    out.kind = target_kind::tls;
  else if (kind == "ssh")
    out.kind = target_kind::ssh;
  else if (kind == "file")
    out.kind = target_kind::file;
  else if (error.empty())
    error = "kind: expected \"tls\", \"ssh\" or \"file\"";
  if (auto parsed = parse_target(out.target); std::holds_alternative<target>(parsed)) {
    out.host = std::get<target>(parsed).host;
    out.port = std::get<target>(parsed).port;
  }
  out.address = r.text("address");
  out.error = r.text("error");
  out.elapsed_ms = r.number("elapsed_ms");
  if (auto p = r.child("probes"); p.present())
    out.probes = probe_counts{static_cast<int>(p.number("sent")),
                              static_cast<int>(p.number("server_signed"))};
  if (auto t = r.child("tls"); t.present())
    out.tls = read_tls(t);
  if (auto s = r.child("ssh"); s.present())
    out.ssh = read_ssh(s);
  if (auto f = r.child("file"); f.present())
    out.file = read_file(f);
  // A group's instances are the findings (finding_groups.hpp); a finding alone is one.
  auto read_finding = [](auto& e) {
    finding f;
    f.rule = e.text("rule");
    f.algorithm = e.text("algorithm");
    f.context = e.text("context");
    f.quantum_status = e.text("quantum_status");
    f.nist_category = static_cast<int>(e.number("nist_category"));
    f.replacement = e.text("replacement");
    f.deadline = e.text("deadline");
    f.severity = e.text("severity");
    f.message = e.text("message");
    f.location = e.text("location");
    f.line = static_cast<int>(e.number("line"));
    return f;
  };
  for (auto& [i, fv] : r.items("findings")) {
    auto e = r.element("findings", i, *fv);
    if (fv->is_object() && fv->as_object().contains("instances")) {
      for (auto& [k, iv] : e.items("instances")) {
        auto each = e.element("instances", k, *iv);
        out.findings.push_back(read_finding(each));
      }
    } else {
      out.findings.push_back(read_finding(e));
    }
  }
  out.quantum_risk_score = r.real("quantum_risk_score");
  out.risk_level = r.text("risk_level");
  if (!error.empty())
    return error;
  return out;
}

std::variant<std::vector<target_result>, std::string> read_results(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec)
    return "not JSON: " + ec.message();
  if (!v.is_array())
    return std::string("expected an array of results");
  std::vector<target_result> out;
  for (std::size_t i = 0; i < v.get_array().size(); ++i) {
    auto r = read_result(v.get_array()[i]);
    if (auto* why = std::get_if<std::string>(&r))
      return "[" + std::to_string(i) + "]: " + *why;
    out.push_back(std::move(std::get<target_result>(r)));
  }
  return out;
}

} // namespace qs::scanner
