#include "actors/scanner/report_cbom.hpp"

#include <boost/json/parse.hpp>

#include <map>
#include <set>

#include <openssl/rand.h>

#include "actors/analytics/algorithm.hpp"
#include "actors/scanner/tls/registry.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/timestamp.hpp"

namespace qs::scanner {
namespace {

using analytics::primitive;
using protocol::json_writer;

struct occurrence {
  std::string location;
  int line = 0;
};

struct component {
  std::string ref;
  std::string name;
  std::string asset_type; ///< algorithm, certificate, protocol, related-crypto-material
  std::string body;       ///< the serialised "...Properties" member(s), without braces
  std::vector<occurrence> occurrences;
  std::set<std::string> depends_on;
};

const char* primitive_of(const analytics::algorithm_assessment& a) {
  if (a.family == "ML-KEM" || a.family == "hybrid")
    return "kem";
  switch (a.kind) {
  case primitive::key_exchange:
    return "key-agree";
  case primitive::signature:
    return "signature";
  case primitive::public_key_encryption:
    return "pke";
  case primitive::block_cipher:
    return "block-cipher";
  case primitive::stream_cipher:
    return "stream-cipher";
  case primitive::aead:
    return "ae";
  case primitive::hash:
    return "hash";
  case primitive::mac:
    return "mac";
  default:
    return "unknown";
  }
}

std::vector<std::string> functions_of(const std::string& p) {
  if (p == "kem")
    return {"keygen", "encapsulate", "decapsulate"};
  if (p == "key-agree")
    return {"keygen"};
  if (p == "signature")
    return {"sign", "verify"};
  if (p == "pke" || p == "ae" || p == "block-cipher" || p == "stream-cipher")
    return {"encrypt", "decrypt"};
  if (p == "hash")
    return {"digest"};
  if (p == "mac")
    return {"tag"};
  return {"unknown"};
}

std::string mode_of(const std::string& name) {
  for (const char* m : {"GCM", "CBC", "CCM", "CTR", "CFB", "OFB", "ECB"})
    if (name.find(m) != std::string::npos) {
      std::string out(m);
      for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return out;
    }
  return {};
}

std::string uuid4() {
  unsigned char b[16];
  RAND_bytes(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[40];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

class bom {
public:
  /// The algorithm component for `name`, created on first use; returns its ref.
  std::string algorithm(const std::string& name, const occurrence& where) {
    const auto ref = "crypto/algorithm/" + name;
    auto& c = get(ref, name, "algorithm");
    if (c.body.empty()) {
      const auto a = analytics::assess_algorithm(name);
      const std::string p = primitive_of(a);
      json_writer w;
      w.begin_object();
      w.key("primitive").value(p);
      if (a.key_bits)
        w.key("parameterSetIdentifier").value(std::to_string(*a.key_bits));
      if (!a.curve.empty())
        w.key("curve").value(a.curve);
      if (auto m = mode_of(a.name); !m.empty() && (p == "ae" || p == "block-cipher"))
        w.key("mode").value(m);
      w.key("cryptoFunctions").strings(functions_of(p));
      w.key("classicalSecurityLevel").value(a.classical_bits);
      w.key("nistQuantumSecurityLevel").value(a.nist_quantum_level);
      w.end_object();
      c.body = "\"algorithmProperties\":" + w.release();
    }
    add_occurrence(c, where);
    return ref;
  }

  std::string certificate(const certificate_info& cert, const occurrence& where) {
    const auto ref = "crypto/certificate/" + cert.sha256;
    auto& c = get(ref, cert.subject.empty() ? cert.sha256 : cert.subject, "certificate");
    if (c.body.empty()) {
      const auto sig = algorithm(cert.signature_algorithm, where);
      const auto key = public_key(cert.key, cert.sha256, where);
      json_writer w;
      w.begin_object();
      w.key("subjectName").value(cert.subject);
      w.key("issuerName").value(cert.issuer);
      w.key("notValidBefore").value(cert.not_before);
      w.key("notValidAfter").value(cert.not_after);
      w.key("signatureAlgorithmRef").value(sig);
      w.key("subjectPublicKeyRef").value(key);
      w.key("certificateFormat").value("X.509");
      w.end_object();
      c.body = "\"certificateProperties\":" + w.release();
      c.depends_on = {sig, key};
    }
    add_occurrence(c, where);
    return ref;
  }

  std::string public_key(const public_key_info& key, const std::string& id, const occurrence& where,
                         const char* type = "public-key") {
    const auto alg = algorithm(key_name(key), where);
    const auto ref = std::string("crypto/") + type + "/" + id;
    auto& c = get(ref, key_name(key) + " " + type, "related-crypto-material");
    if (c.body.empty()) {
      json_writer w;
      w.begin_object();
      w.key("type").value(type);
      w.key("id").value(id);
      w.key("algorithmRef").value(alg);
      if (key.bits > 0)
        w.key("size").value(key.bits);
      w.end_object();
      c.body = "\"relatedCryptoMaterialProperties\":" + w.release();
      c.depends_on = {alg};
    }
    add_occurrence(c, where);
    return ref;
  }

  component& protocol(const std::string& ref, const std::string& name) {
    return get(ref, name, "protocol");
  }

  std::string render() const {
    json_writer out;
    out.begin_object();
    out.key("$schema").value("http://cyclonedx.org/schema/bom-1.6.schema.json");
    out.key("bomFormat").value("CycloneDX");
    out.key("specVersion").value("1.6");
    out.key("serialNumber").value("urn:uuid:" + uuid4());
    out.key("version").value(1);
    out.key("metadata").begin_object();
    out.key("timestamp").value(protocol::now_iso8601().substr(0, 19) + "Z");
    out.key("tools").begin_object().key("components").begin_array().begin_object();
    out.key("type").value("application");
    out.key("name").value("qscan");
    out.key("version").value(QS_VERSION);
    out.end_object().end_array().end_object();
    if (against) { // the previous run's components that are gone
      out.key("properties").begin_array();
      for (const auto& [ref, name] : *against)
        if (!components_.count(ref)) {
          out.begin_object();
          out.key("name").value("qscan:absentComponent");
          out.key("value").value(ref + " (" + name + ")");
          out.end_object();
          if (counts)
            ++counts->absent;
        }
      out.end_array();
    }
    out.end_object();
    out.key("components").begin_array();
    for (const auto& ref : order_) {
      const auto& c = components_.at(ref);
      out.begin_object();
      out.key("type").value("cryptographic-asset");
      out.key("bom-ref").value(c.ref);
      out.key("name").value(c.name);
      out.key("cryptoProperties")
          .raw("{\"assetType\":\"" + c.asset_type + "\"" + (c.body.empty() ? "" : "," + c.body) +
               "}");
      if (against) {
        const bool known = against->count(c.ref) > 0;
        if (counts)
          ++(known ? counts->unchanged : counts->added);
        out.key("properties").begin_array().begin_object();
        out.key("name").value("qscan:baselineState");
        out.key("value").value(known ? "unchanged" : "new");
        out.end_object().end_array();
      }
      out.key("evidence").begin_object().key("occurrences").begin_array();
      for (const auto& o : c.occurrences) {
        out.begin_object();
        out.key("location").value(o.location);
        if (o.line > 0)
          out.key("line").value(o.line);
        out.end_object();
      }
      out.end_array().end_object();
      out.end_object();
    }
    out.end_array();
    out.key("dependencies").begin_array();
    for (const auto& ref : order_) {
      const auto& c = components_.at(ref);
      out.begin_object();
      out.key("ref").value(c.ref);
      out.key("dependsOn")
          .strings(std::vector<std::string>(c.depends_on.begin(), c.depends_on.end()));
      out.end_object();
    }
    out.end_array();
    out.end_object();
    return out.release();
  }

  static std::string key_name(const public_key_info& k) {
    if (k.type == "RSA" || k.type == "RSA-PSS" || k.type == "DSA")
      return k.type + "-" + std::to_string(k.bits);
    if (k.type == "EC")
      return "ECDSA " + k.curve;
    return k.type.empty() ? "unknown" : k.type;
  }

  const cbom_baseline* against = nullptr; ///< mark components against it, when set
  cbom_counts* counts = nullptr;          ///< and count them here, when set

private:
  component& get(const std::string& ref, const std::string& name, const char* type) {
    auto [it, fresh] = components_.try_emplace(ref);
    if (fresh) {
      it->second.ref = ref;
      it->second.name = name;
      it->second.asset_type = type;
      order_.push_back(ref);
    }
    return it->second;
  }

  static void add_occurrence(component& c, const occurrence& where) {
    for (const auto& o : c.occurrences)
      if (o.location == where.location && o.line == where.line)
        return;
    c.occurrences.push_back(where);
  }

  std::map<std::string, component> components_;
  std::vector<std::string> order_;
};

std::string dashed(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '_')
      c = '-';
  return out;
}

void add_tls(bom& b, const target_result& r) {
  const auto& t = *r.tls;
  const occurrence here{r.target, 0};
  std::vector<std::string> group_refs;
  for (const auto& g : t.groups)
    group_refs.push_back(b.algorithm(g, here));
  std::vector<std::string> cert_refs;
  for (const auto& c : t.certificates)
    cert_refs.push_back(b.certificate(c.info, here));
  for (const auto& version : t.protocols) {
    auto& p = b.protocol("crypto/protocol/" + r.target + "/" + version, version);
    protocol::json_writer w;
    w.begin_object();
    w.key("type").value("tls");
    w.key("version").value(version.substr(version.find('v') + 1));
    w.key("cipherSuites").begin_array();
    std::set<std::string> refs(group_refs.begin(), group_refs.end());
    if (auto it = t.cipher_suites.find(version); it != t.cipher_suites.end())
      for (const auto& name : it->second) {
        const tls::cipher_suite* s = nullptr;
        for (const auto& candidate : tls::cipher_suites())
          if (candidate.name == name)
            s = &candidate;
        std::vector<std::string> algs;
        if (s) {
          if (!s->null_cipher)
            algs.push_back(b.algorithm(dashed(s->cipher), here));
          if (!s->mac.empty())
            algs.push_back(
                b.algorithm("HMAC-" + std::string(s->mac == "SHA" ? "SHA1" : s->mac), here));
        }
        refs.insert(algs.begin(), algs.end());
        w.begin_object();
        w.key("name").value(name);
        w.key("algorithms").strings(algs);
        if (s) {
          char id[16];
          std::snprintf(id, sizeof id, "0x%02X,0x%02X", s->code >> 8, s->code & 0xff);
          w.key("identifiers").strings({id});
        }
        w.end_object();
      }
    w.end_array();
    w.key("cryptoRefArray").strings(std::vector<std::string>(refs.begin(), refs.end()));
    w.end_object();
    p.body = "\"protocolProperties\":" + w.release();
    p.occurrences = {here};
    p.depends_on.insert(refs.begin(), refs.end());
    p.depends_on.insert(cert_refs.begin(), cert_refs.end());
  }
}

void add_ssh(bom& b, const target_result& r) {
  const auto& s = *r.ssh;
  const occurrence here{r.target, 0};
  std::set<std::string> refs;
  for (const auto* list : {&s.kex, &s.ciphers, &s.macs})
    for (const auto& name : *list)
      if (name.rfind("ext-info", 0) != 0 && name.rfind("kex-strict", 0) != 0)
        refs.insert(b.algorithm(name, here));
  for (const auto& k : s.host_keys) {
    public_key_info info;
    info.bits = k.bits;
    info.type = k.type == "ssh-rsa" ? "RSA" : k.type == "ssh-ed25519" ? "Ed25519" : k.type;
    if (k.type.rfind("ecdsa-sha2-nistp", 0) == 0)
      info.type = "EC", info.curve = "P-" + k.type.substr(16);
    refs.insert(b.public_key(info, k.sha256, here));
  }
  auto& p = b.protocol("crypto/protocol/" + r.target, "SSH-2.0");
  protocol::json_writer w;
  w.begin_object();
  w.key("type").value("ssh");
  w.key("version").value("2.0");
  w.key("cryptoRefArray").strings(std::vector<std::string>(refs.begin(), refs.end()));
  w.end_object();
  p.body = "\"protocolProperties\":" + w.release();
  p.occurrences = {here};
  p.depends_on = refs;
}

void add_file(bom& b, const target_result& r) {
  const auto& f = *r.file;
  for (std::size_t i = 0; i < f.items.size(); ++i) {
    const auto& item = f.items[i];
    const occurrence here{f.path, item.line};
    if (item.certificate)
      b.certificate(*item.certificate, here);
    else if (!item.key.type.empty())
      b.public_key(item.key, f.path + "#" + std::to_string(i), here,
                   item.kind.find("private") != std::string::npos ? "private-key" : "public-key");
  }
}

} // namespace

std::optional<cbom_baseline> read_cbom_baseline(std::string_view text) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object() || v.as_object().if_contains("bomFormat") == nullptr ||
      v.at("bomFormat") != "CycloneDX")
    return std::nullopt;
  cbom_baseline out;
  if (const auto* components = v.as_object().if_contains("components");
      components && components->is_array())
    for (const auto& c : components->as_array()) {
      const auto* ref = c.is_object() ? c.as_object().if_contains("bom-ref") : nullptr;
      const auto* name = c.is_object() ? c.as_object().if_contains("name") : nullptr;
      if (ref && ref->is_string())
        out.emplace(std::string(ref->as_string()),
                    name && name->is_string() ? std::string(name->as_string()) : "");
    }
  return out;
}

std::string results_cbom(const std::vector<target_result>& results, const cbom_baseline* against,
                         cbom_counts* counts) {
  bom b;
  b.against = against;
  b.counts = counts;
  for (const auto& r : results) {
    if (r.tls)
      add_tls(b, r);
    if (r.ssh)
      add_ssh(b, r);
    if (r.file)
      add_file(b, r);
  }
  return b.render();
}

} // namespace qs::scanner
