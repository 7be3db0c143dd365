#include "actors/scanner/x509/certificate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <memory>

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "actors/scanner/x509/public_key.hpp"

namespace qs::scanner {
namespace {

std::string name_text(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string iso_time(const ASN1_TIME* t) {
  std::tm tm{};
  if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
    return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string hex(const unsigned char* p, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i)
    out += digits[p[i] >> 4], out += digits[p[i] & 0xf];
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool wildcard_match(std::string pattern, std::string host) {
  pattern = lower(std::move(pattern));
  host = lower(std::move(host));
  if (pattern.rfind("*.", 0) != 0)
    return pattern == host;
  const auto dot = host.find('.');
  return dot != std::string::npos && dot > 0 && host.substr(dot) == pattern.substr(1);
}

} // namespace

std::variant<certificate_info, std::string> describe_certificate(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (!cert)
    return std::string("not a DER certificate");
  certificate_info info;
  info.subject = name_text(X509_get_subject_name(cert.get()));
  info.issuer = name_text(X509_get_issuer_name(cert.get()));
  if (EVP_PKEY* key = X509_get0_pubkey(cert.get())) {
    info.key = describe_key(key);
  } else {
    ASN1_OBJECT* alg = nullptr;
    X509_PUBKEY_get0_param(&alg, nullptr, nullptr, nullptr, X509_get_X509_PUBKEY(cert.get()));
    char oid[80] = {};
    OBJ_obj2txt(oid, sizeof oid, alg, 1);
    info.key.type = post_quantum_name(oid);
    if (info.key.type.empty())
      info.key.type = oid;
  }
  const int sig_nid = X509_get_signature_nid(cert.get());
  if (sig_nid != NID_undef) {
    info.signature_algorithm = OBJ_nid2ln(sig_nid);
  } else {
    const X509_ALGOR* alg = nullptr;
    X509_get0_signature(nullptr, &alg, cert.get());
    const ASN1_OBJECT* obj = nullptr;
    X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
    char oid[80] = {};
    OBJ_obj2txt(oid, sizeof oid, obj, 1);
    info.signature_algorithm = post_quantum_name(oid).empty() ? oid : post_quantum_name(oid);
  }
  info.not_before = iso_time(X509_get0_notBefore(cert.get()));
  info.not_after = iso_time(X509_get0_notAfter(cert.get()));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  X509_digest(cert.get(), EVP_sha256(), md, &md_len);
  info.sha256 = hex(md, md_len);
  if (const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get()))
    info.serial = hex(serial->data, static_cast<std::size_t>(serial->length));
  if (auto* names = static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr))) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
      if (n->type == GEN_DNS) {
        const auto* s = n->d.dNSName;
        info.dns_names.emplace_back(reinterpret_cast<const char*>(s->data),
                                    static_cast<std::size_t>(s->length));
      } else if (n->type == GEN_IPADD) {
        const auto* s = n->d.iPAddress;
        char text[INET6_ADDRSTRLEN] = {};
        if (s->length == 4)
          inet_ntop(AF_INET, s->data, text, sizeof text);
        else if (s->length == 16)
          inet_ntop(AF_INET6, s->data, text, sizeof text);
        if (text[0])
          info.ip_addresses.emplace_back(text);
      }
    }
    GENERAL_NAMES_free(names);
  }
  info.self_signed = X509_check_issued(cert.get(), cert.get()) == X509_V_OK;
  info.is_ca = X509_check_ca(cert.get()) > 0;
  return info;
}

bool certificate_names(const certificate_info& cert, std::string_view host_view) {
  std::string host(host_view);
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1) {
    char canonical[INET6_ADDRSTRLEN] = {};
    inet_ntop(host.find(':') != std::string::npos ? AF_INET6 : AF_INET, buf, canonical,
              sizeof canonical);
    return std::find(cert.ip_addresses.begin(), cert.ip_addresses.end(), canonical) !=
           cert.ip_addresses.end();
  }
  if (!cert.dns_names.empty())
    return std::any_of(cert.dns_names.begin(), cert.dns_names.end(),
                       [&](const std::string& n) { return wildcard_match(n, host); });
  const auto cn = cert.subject.find("CN=");
  if (cn == std::string::npos)
    return false;
  auto end = cert.subject.find(',', cn);
  return wildcard_match(cert.subject.substr(cn + 3, end == std::string::npos ? end : end - cn - 3),
                        host);
}

double days_left(const certificate_info& cert, long long now_utc) {
  std::tm tm{};
  if (!strptime(cert.not_after.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm))
    return 0;
  return static_cast<double>(timegm(&tm) - now_utc) / 86400.0;
}

} // namespace qs::scanner
