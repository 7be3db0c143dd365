// What a scan of one target found: the TLS, SSH or file inventory, the
// findings rated against a quantum computer (and the classical faults a
// security team expects to hear about), and the target's quantum risk. Plain
// values; the JSON, CBOM, SARIF and table writers read them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/scanner/x509/certificate.hpp"

namespace qs::scanner {

enum class target_kind { tls, ssh, file };
const char* to_string(target_kind k);

struct served_certificate {
  certificate_info info;
  int chain = 0;    ///< which chain the server sent it in (RSA, ECDSA, ... chains)
  int position = 0; ///< 0 for the leaf
};

struct tls_inventory {
  std::vector<std::string> protocols;                                ///< "TLSv1.2", ...
  std::map<std::string, std::vector<std::string>> cipher_suites;     ///< per protocol
  std::map<std::string, bool> server_cipher_order;                   ///< per protocol
  std::vector<std::string> groups;                                   ///< every version's
  std::map<std::string, std::vector<std::string>> groups_by_version; ///< TLSv1.3, TLSv1.2
  std::string group_preference;                                      ///< "server", "client", ""
  std::string preferred_group;
  std::vector<std::string> signature_schemes;
  std::vector<served_certificate> certificates;
  std::string alpn; ///< the protocol chosen for "h2,http/1.1", if any
};

struct ssh_host_key {
  std::string type; ///< "ssh-ed25519", "rsa-sha2-512", "ecdsa-sha2-nistp256", ...
  int bits = 0;
  std::string sha256; ///< of the key blob, base64 as OpenSSH prints it
};

struct ssh_inventory {
  std::string banner;
  std::vector<std::string> kex;
  std::vector<std::string> host_key_algorithms;
  std::vector<ssh_host_key> host_keys;
  std::vector<std::string> ciphers; ///< client to server (and the other way when they differ)
  std::vector<std::string> macs;
  std::vector<std::string> compression;
};

struct file_item {
  std::string kind; ///< "certificate", "private-key", "public-key", "pkcs12", "openssh-key", ...
  int line = 0; ///< 1-based, for files of many entries (authorized_keys, known_hosts, PEM bundles)
  public_key_info key;
  bool encrypted = false;
  std::optional<certificate_info> certificate;
  std::string comment; ///< an OpenSSH key's comment, a known_hosts host pattern
};

struct file_inventory {
  std::string path;
  std::vector<file_item> items;
};

struct finding {
  std::string rule;      ///< stable id: "QS-KEX-SHOR", "QS-TLS-OLD-VERSION", ...
  std::string algorithm; ///< "X25519", "RSA-2048", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLSv1.0"
  std::string context;   ///< "key exchange", "authentication", "certificate signature",
                         ///< "bulk cipher", "MAC/hash", "protocol", "certificate"
  std::string quantum_status;
  int nist_category = 0;
  std::string replacement;
  std::string deadline; ///< NIST IR 8547: the year-end it is disallowed after, or "already"
  std::string severity; ///< "critical", "high", "medium", "low", "info"
  std::string message;  ///< one sentence
  std::string location; ///< where: the target, "certificate 0 of chain 1", a file and line
  int line = 0;
};

/// The connections a network scan made, and how many of them the server
/// answered with cryptographic work of its own: a key share it computed and a
/// signature (a TLS 1.3 ServerHello, a TLS 1.2 ServerKeyExchange, a finished
/// handshake, an SSH key exchange reply). A HelloRetryRequest, an alert, a
/// static-RSA ServerHello or an SSH KEXINIT costs the server no such work.
struct probe_counts {
  int sent = 0;
  int server_signed = 0;
};

struct target_result {
  std::string target; ///< as given, normalised: "tls://127.0.0.1:8443"
  target_kind kind = target_kind::tls;
  std::string host;
  int port = 0;
  std::string address; ///< the address connected to
  std::string error;   ///< "" when the scan went through
  long long elapsed_ms = 0;
  std::optional<probe_counts> probes; ///< TLS and SSH targets
  std::optional<tls_inventory> tls;
  std::optional<ssh_inventory> ssh;
  std::optional<file_inventory> file;
  std::vector<finding> findings;
  double quantum_risk_score = 0;
  std::string risk_level; ///< "CRITICAL", "HIGH", "MEDIUM", "LOW", "MINIMAL"
};

} // namespace qs::scanner
