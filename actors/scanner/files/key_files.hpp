// Reads certificates and keys from files: PEM and DER certificates, public and
// private keys (RSA, EC, Ed25519 and whatever else OpenSSL reads), PKCS#12
// without a password (legacy RC2 ones through OpenSSL's legacy provider),
// OpenSSH public keys, `openssh-key-v1` private keys (which OpenSSL cannot
// read; their public half is in the clear even when the key is encrypted),
// authorized_keys and known_hosts. A file that holds none of these is not a key
// file (nullopt); an encrypted private key is reported as such, never decrypted.
// Never any private-key material in what comes out.
//
// Pure over the content (scan_key_content); scan_key_file and walk touch the
// file system. Any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/scanner/report.hpp"

namespace qs::scanner {

std::optional<file_inventory> scan_key_content(std::string_view content, const std::string& path);

/// Reads the file (at most `max_bytes`); nullopt when it is not a key file or
/// cannot be read.
std::optional<file_inventory> scan_key_file(const std::string& path,
                                            std::size_t max_bytes = 10 * 1024 * 1024);

/// Every regular file under `root` (or `root` itself), sorted; symbolic links
/// are not followed. `error` says why the walk failed, if it did.
std::vector<std::string> walk(const std::string& root, std::string& error);

} // namespace qs::scanner
