#include "actors/scanner/files/key_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

#include "actors/scanner/byte_reader.hpp"
#include "actors/scanner/ssh/messages.hpp"
#include "actors/scanner/x509/public_key.hpp"

namespace qs::scanner {
namespace {

using bio_ptr = std::unique_ptr<BIO, decltype(&BIO_free)>;

bio_ptr memory(std::string_view data) {
  return bio_ptr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())), BIO_free);
}

// Refuses to prompt: an encrypted key stays encrypted.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

// OpenSSL's legacy provider (RC2 PKCS#12) beside the default one, loaded once.
void load_providers() {
  static const bool loaded = [] {
    OSSL_PROVIDER_load(nullptr, "default");
    OSSL_PROVIDER_load(nullptr, "legacy");
    return true;
  }();
  (void)loaded;
}

std::string base64_decode(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)))
      clean += c;
  if (clean.empty() || clean.size() % 4 != 0)
    return {};
  std::string out(clean.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(clean.data()),
                                static_cast<int>(clean.size()));
  if (n < 0)
    return {};
  std::size_t pad = 0;
  while (pad < 2 && clean[clean.size() - 1 - pad] == '=')
    ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

public_key_info ssh_key_info(const ssh::host_key& k) {
  public_key_info info;
  info.bits = k.bits;
  if (k.type == "ssh-rsa")
    info.type = "RSA";
  else if (k.type == "ssh-dss")
    info.type = "DSA";
  else if (k.type.rfind("ecdsa-sha2-nistp", 0) == 0)
    info.type = "EC", info.curve = "P-" + k.type.substr(16);
  else if (k.type == "ssh-ed25519" || k.type == "sk-ssh-ed25519@openssh.com")
    info.type = "Ed25519", info.curve = "Curve25519";
  else
    info.type = k.type;
  return info;
}

std::optional<file_item> certificate_item(std::string_view der, const char* kind) {
  auto info = describe_certificate(der);
  if (!std::holds_alternative<certificate_info>(info))
    return std::nullopt;
  file_item item;
  item.kind = kind;
  item.certificate = std::get<certificate_info>(info);
  item.key = item.certificate->key;
  return item;
}

// openssh-key-v1: "openssh-key-v1\0", cipher, kdf, kdf options, number of keys,
// the public key blobs, then the (possibly encrypted) private part, unread.
std::optional<file_item> openssh_private(std::string_view der) {
  constexpr std::string_view magic("openssh-key-v1\0", 15);
  if (der.substr(0, magic.size()) != magic)
    return std::nullopt;
  byte_reader r(der.substr(magic.size()));
  const auto cipher = r.vector(4);
  r.vector(4); // kdf name
  r.vector(4); // kdf options
  const auto keys = r.u32();
  const auto blob = r.vector(4);
  if (r.failed() || keys < 1)
    return std::nullopt;
  file_item item;
  item.kind = "openssh-private-key";
  item.encrypted = cipher != "none";
  if (auto key = ssh::parse_host_key(blob); auto* k = std::get_if<ssh::host_key>(&key))
    item.key = ssh_key_info(*k);
  return item;
}

std::optional<file_item> pem_block(const std::string& label, const std::string& block,
                                   std::string_view body) {
  file_item item;
  if (label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE") {
    auto b = memory(block);
    std::unique_ptr<X509, decltype(&X509_free)> x(
        label == "TRUSTED CERTIFICATE" ? PEM_read_bio_X509_AUX(b.get(), nullptr, nullptr, nullptr)
                                       : PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr),
        X509_free);
    if (!x)
      return std::nullopt;
    unsigned char* der = nullptr;
    const int n = i2d_X509(x.get(), &der);
    std::optional<file_item> out;
    if (n > 0)
      out = certificate_item(
          std::string_view(reinterpret_cast<char*>(der), static_cast<std::size_t>(n)),
          "certificate");
    OPENSSL_free(der);
    return out;
  }
  if (label == "OPENSSH PRIVATE KEY")
    return openssh_private(base64_decode(body));
  if (label == "ENCRYPTED PRIVATE KEY") {
    item.kind = "private-key";
    item.encrypted = true;
    return item;
  }
  if (label.size() >= 11 && label.substr(label.size() - 11) == "PRIVATE KEY") {
    item.kind = "private-key";
    if (block.find("Proc-Type: 4,ENCRYPTED") != std::string::npos) {
      item.encrypted = true; // legacy PEM encryption: the type is in the label
      item.key.type = label == "RSA PRIVATE KEY"   ? "RSA"
                      : label == "EC PRIVATE KEY"  ? "EC"
                      : label == "DSA PRIVATE KEY" ? "DSA"
                                                   : "";
      return item;
    }
    auto b = memory(block);
    EVP_PKEY* key = PEM_read_bio_PrivateKey(b.get(), nullptr, no_passphrase, nullptr);
    if (!key)
      return std::nullopt;
    item.key = describe_key(key);
    EVP_PKEY_free(key);
    return item;
  }
  if (label == "PUBLIC KEY" || label == "RSA PUBLIC KEY") {
    auto b = memory(block);
    EVP_PKEY* key =
        label == "PUBLIC KEY" ? PEM_read_bio_PUBKEY(b.get(), nullptr, nullptr, nullptr) : nullptr;
    if (!key && label == "RSA PUBLIC KEY") {
      if (RSA* rsa = PEM_read_bio_RSAPublicKey(b.get(), nullptr, nullptr, nullptr)) {
        key = EVP_PKEY_new();
        EVP_PKEY_assign_RSA(key, rsa);
      }
    }
    if (!key)
      return std::nullopt;
    item.kind = "public-key";
    item.key = describe_key(key);
    EVP_PKEY_free(key);
    return item;
  }
  if (label == "CERTIFICATE REQUEST" || label == "NEW CERTIFICATE REQUEST") {
    auto b = memory(block);
    std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(
        PEM_read_bio_X509_REQ(b.get(), nullptr, nullptr, nullptr), X509_REQ_free);
    if (!req)
      return std::nullopt;
    item.kind = "certificate-request";
    item.key = describe_key(X509_REQ_get0_pubkey(req.get()));
    return item;
  }
  return std::nullopt;
}

// Every PEM block, with the line it starts on.
void scan_pem(std::string_view content, file_inventory& inv) {
  std::size_t at = 0;
  int line = 1;
  std::size_t counted = 0;
  while ((at = content.find("-----BEGIN ", at)) != std::string_view::npos) {
    line += static_cast<int>(std::count(content.begin() + static_cast<long>(counted),
                                        content.begin() + static_cast<long>(at), '\n'));
    counted = at;
    const auto label_end = content.find("-----", at + 11);
    if (label_end == std::string_view::npos)
      break;
    const std::string label(content.substr(at + 11, label_end - at - 11));
    const std::string end_marker = "-----END " + label + "-----";
    const auto end = content.find(end_marker, label_end);
    if (end == std::string_view::npos)
      break;
    const auto block_end = end + end_marker.size();
    const std::string block(content.substr(at, block_end - at));
    const auto body = content.substr(label_end + 5, end - label_end - 5);
    if (auto item = pem_block(label, block, body)) {
      item->line = line;
      inv.items.push_back(std::move(*item));
    }
    at = block_end;
  }
}

bool is_ssh_key_type(std::string_view t) {
  return t == "ssh-rsa" || t == "ssh-dss" || t == "ssh-ed25519" || t == "ssh-ed448" ||
         t.rfind("ecdsa-sha2-", 0) == 0 || t.rfind("sk-", 0) == 0;
}

// OpenSSH public keys, authorized_keys and known_hosts: one key a line.
void scan_openssh_lines(std::string_view content, file_inventory& inv) {
  int number = 0;
  while (!content.empty()) {
    ++number;
    const auto end = content.find('\n');
    const auto line = content.substr(0, end);
    content = end == std::string_view::npos ? std::string_view{} : content.substr(end + 1);
    std::vector<std::string_view> words;
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
      const auto start = i;
      bool quoted = false;
      while (i < line.size() && (quoted || (line[i] != ' ' && line[i] != '\t')))
        quoted ^= line[i++] == '"';
      if (i > start)
        words.push_back(line.substr(start, i - start));
    }
    if (words.empty() || words.front().front() == '#')
      continue;
    for (std::size_t w = 0; w + 1 < words.size(); ++w) {
      if (!is_ssh_key_type(words[w]))
        continue;
      auto key = ssh::parse_host_key(base64_decode(words[w + 1]));
      auto* k = std::get_if<ssh::host_key>(&key);
      if (!k || k->type != words[w])
        break;
      file_item item;
      item.line = number;
      item.key = ssh_key_info(*k);
      if (w == 0) {
        item.kind = "openssh-public-key";
        if (w + 2 < words.size())
          item.comment = std::string(words[w + 2]);
      } else if (words[0].find('=') != std::string_view::npos ||
                 words[0].find('"') != std::string_view::npos || words[0] == "restrict" ||
                 words[0] == "cert-authority") {
        item.kind = "authorized-key"; // options before the key
      } else {
        item.kind = "known-host";
        item.comment = std::string(words[0]);
      }
      inv.items.push_back(std::move(item));
      break;
    }
  }
}

void scan_der(std::string_view der, file_inventory& inv) {
  if (auto cert = certificate_item(der, "certificate")) {
    inv.items.push_back(std::move(*cert));
    return;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  if (EVP_PKEY* key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()))) {
    file_item item;
    item.kind = "private-key";
    item.key = describe_key(key);
    EVP_PKEY_free(key);
    inv.items.push_back(std::move(item));
    return;
  }
  p = reinterpret_cast<const unsigned char*>(der.data());
  if (EVP_PKEY* key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()))) {
    file_item item;
    item.kind = "public-key";
    item.key = describe_key(key);
    EVP_PKEY_free(key);
    inv.items.push_back(std::move(item));
    return;
  }
  p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(
      d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())), PKCS12_free);
  if (!p12)
    return;
  load_providers();
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* ca = nullptr;
  if (PKCS12_parse(p12.get(), "", &key, &cert, &ca) != 1 &&
      PKCS12_parse(p12.get(), nullptr, &key, &cert, &ca) != 1) {
    file_item item;
    item.kind = "pkcs12";
    item.encrypted = true;
    inv.items.push_back(std::move(item));
    ERR_clear_error();
    return;
  }
  auto add_cert = [&](X509* x) {
    unsigned char* d = nullptr;
    const int n = i2d_X509(x, &d);
    if (n > 0)
      if (auto item = certificate_item(
              std::string_view(reinterpret_cast<char*>(d), static_cast<std::size_t>(n)),
              "pkcs12-certificate"))
        inv.items.push_back(std::move(*item));
    OPENSSL_free(d);
  };
  if (key) {
    file_item item;
    item.kind = "pkcs12-private-key";
    item.key = describe_key(key);
    inv.items.push_back(std::move(item));
  }
  if (cert)
    add_cert(cert);
  for (int i = 0; ca && i < sk_X509_num(ca); ++i)
    add_cert(sk_X509_value(ca, i));
  EVP_PKEY_free(key);
  X509_free(cert);
  sk_X509_pop_free(ca, X509_free);
}

} // namespace

std::optional<file_inventory> scan_key_content(std::string_view content, const std::string& path) {
  file_inventory inv;
  inv.path = path;
  if (content.find("-----BEGIN ") != std::string_view::npos)
    scan_pem(content, inv);
  if (inv.items.empty())
    scan_openssh_lines(content, inv);
  if (inv.items.empty() && !content.empty() && static_cast<unsigned char>(content[0]) == 0x30)
    scan_der(content, inv); // a DER SEQUENCE
  ERR_clear_error();
  if (inv.items.empty())
    return std::nullopt;
  return inv;
}

std::optional<file_inventory> scan_key_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > max_bytes)
    return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return scan_key_content(text.str(), path);
}

std::vector<std::string> walk(const std::string& root, std::string& error) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  const auto status = fs::symlink_status(root, ec);
  if (ec) {
    error = "cannot read " + root + ": " + ec.message();
    return out;
  }
  if (fs::is_regular_file(status)) {
    out.push_back(root);
    return out;
  }
  if (!fs::is_directory(status)) {
    error = root + " is not a file or a folder";
    return out;
  }
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && !it->is_symlink(ec))
      out.push_back(it->path().string());
  if (ec)
    error = "cannot walk " + root + ": " + ec.message();
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace qs::scanner
