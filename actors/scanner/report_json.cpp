#include "actors/scanner/report_json.hpp"

#include "actors/scanner/finding_groups.hpp"

namespace qs::scanner {
namespace {

using protocol::json_writer;

void write_certificate(json_writer& out, const certificate_info& c) {
  out.key("subject").value(c.subject);
  out.key("issuer").value(c.issuer);
  out.key("key_type").value(c.key.type);
  out.key("key_bits").value(c.key.bits);
  out.key("curve");
  c.key.curve.empty() ? out.null() : out.value(c.key.curve);
  out.key("signature_algorithm").value(c.signature_algorithm);
  out.key("not_before").value(c.not_before);
  out.key("not_after").value(c.not_after);
  out.key("sha256").value(c.sha256);
  out.key("serial").value(c.serial);
  out.key("dns_names").strings(c.dns_names);
  out.key("ip_addresses").strings(c.ip_addresses);
  out.key("self_signed").value(c.self_signed);
  out.key("ca").value(c.is_ca);
}

void write_tls(json_writer& out, const tls_inventory& t) {
  out.begin_object();
  out.key("protocols").strings(t.protocols);
  out.key("cipher_suites").begin_object();
  for (const auto& [version, suites] : t.cipher_suites)
    out.key(version).strings(suites);
  out.end_object();
  out.key("server_cipher_order").begin_object();
  for (const auto& [version, ordered] : t.server_cipher_order)
    out.key(version).value(ordered);
  out.end_object();
  out.key("groups").strings(t.groups);
  out.key("groups_by_version").begin_object();
  for (const auto& [version, groups] : t.groups_by_version)
    out.key(version).strings(groups);
  out.end_object();
  out.key("group_preference");
  t.group_preference.empty() ? out.null() : out.value(t.group_preference);
  out.key("preferred_group");
  t.preferred_group.empty() ? out.null() : out.value(t.preferred_group);
  out.key("signature_schemes").strings(t.signature_schemes);
  out.key("alpn");
  t.alpn.empty() ? out.null() : out.value(t.alpn);
  out.key("certificates").begin_array();
  for (const auto& c : t.certificates) {
    out.begin_object();
    out.key("chain").value(c.chain);
    out.key("position").value(c.position);
    write_certificate(out, c.info);
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

void write_ssh(json_writer& out, const ssh_inventory& s) {
  out.begin_object();
  out.key("banner").value(s.banner);
  out.key("kex").strings(s.kex);
  out.key("host_key_algorithms").strings(s.host_key_algorithms);
  out.key("host_keys").begin_array();
  for (const auto& k : s.host_keys) {
    out.begin_object();
    out.key("type").value(k.type);
    out.key("bits").value(k.bits);
    out.key("sha256").value(k.sha256);
    out.end_object();
  }
  out.end_array();
  out.key("ciphers").strings(s.ciphers);
  out.key("macs").strings(s.macs);
  out.key("compression").strings(s.compression);
  out.end_object();
}

void write_file(json_writer& out, const file_inventory& f) {
  out.begin_object();
  out.key("path").value(f.path);
  out.key("items").begin_array();
  for (const auto& item : f.items) {
    out.begin_object();
    out.key("kind").value(item.kind);
    out.key("line").value(item.line);
    out.key("key_type");
    item.key.type.empty() ? out.null() : out.value(item.key.type);
    out.key("key_bits").value(item.key.bits);
    out.key("curve");
    item.key.curve.empty() ? out.null() : out.value(item.key.curve);
    out.key("encrypted").value(item.encrypted);
    if (!item.comment.empty())
      out.key("comment").value(item.comment);
    if (item.certificate) {
      out.key("certificate").begin_object();
      write_certificate(out, *item.certificate);
      out.end_object();
    }
    out.end_object();
  }
  out.end_array();
  out.end_object();
}

// Opens a finding's object and writes its fields (the caller closes it).
void write_finding(json_writer& out, const finding& f) {
  out.begin_object();
  out.key("rule").value(f.rule);
  out.key("algorithm").value(f.algorithm);
  out.key("context").value(f.context);
  out.key("quantum_status").value(f.quantum_status);
  out.key("nist_category").value(f.nist_category);
  out.key("replacement");
  f.replacement.empty() ? out.null() : out.value(f.replacement);
  out.key("deadline");
  f.deadline.empty() ? out.null() : out.value(f.deadline);
  out.key("severity").value(f.severity);
  out.key("message").value(f.message);
  out.key("location").value(f.location);
  if (f.line)
    out.key("line").value(f.line);
}

} // namespace

const char* to_string(target_kind k) {
  switch (k) {
  case target_kind::tls:
    return "tls";
  case target_kind::ssh:
    return "ssh";
  case target_kind::file:
    return "file";
  }
  return "tls";
}

void write_result(json_writer& out, const target_result& r,
                  const std::function<void(json_writer&)>& extra) {
  out.begin_object();
  out.key("target").value(r.target);
  out.key("kind").value(to_string(r.kind));
  out.key("address");
  r.address.empty() ? out.null() : out.value(r.address);
  out.key("error");
  r.error.empty() ? out.null() : out.value(r.error);
  out.key("elapsed_ms").value(static_cast<std::int64_t>(r.elapsed_ms));
  if (r.probes) {
    out.key("probes").begin_object();
    out.key("sent").value(r.probes->sent);
    out.key("server_signed").value(r.probes->server_signed);
    out.end_object();
  }
  if (r.tls) {
    out.key("tls");
    write_tls(out, *r.tls);
  }
  if (r.ssh) {
    out.key("ssh");
    write_ssh(out, *r.ssh);
  }
  if (r.file) {
    out.key("file");
    write_file(out, *r.file);
  }
  out.key("findings").begin_array();
  for (const auto& g : group_findings(r.findings)) {
    write_finding(out, g.summary);
    if (g.instances.size() > 1) {
      out.key("instances").begin_array();
      for (const auto& f : g.instances) {
        write_finding(out, f);
        out.end_object();
      }
      out.end_array();
    }
    out.end_object();
  }
  out.end_array();
  out.key("quantum_risk_score").value(r.quantum_risk_score);
  out.key("risk_level").value(r.risk_level);
  if (extra)
    extra(out);
  out.end_object();
}

std::string results_json(const std::vector<target_result>& results) {
  json_writer out;
  out.begin_array();
  for (const auto& r : results)
    write_result(out, r);
  out.end_array();
  return out.release();
}

} // namespace qs::scanner
