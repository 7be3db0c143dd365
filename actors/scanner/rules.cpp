#include "actors/scanner/rules.hpp"

namespace qs::scanner {

const std::vector<rule>& rules() {
  static const std::vector<rule> all = {
      {"QS-KEX-QUANTUM-VULNERABLE", "QuantumVulnerableKeyExchange",
       "A key exchange that Shor's algorithm breaks",
       "Traffic protected by this key exchange can be recorded now and decrypted once a "
       "quantum computer exists (harvest now, decrypt later). Offer a post-quantum hybrid: "
       "X25519MLKEM768 in TLS 1.3, mlkem768x25519-sha256 or sntrup761x25519-sha512 in SSH."},
      {"QS-KEX-NO-POST-QUANTUM", "NoPostQuantumKeyExchange",
       "No post-quantum key exchange is available",
       "Enable a hybrid key exchange (X25519MLKEM768 for TLS 1.3, OpenSSL 3.5 or BoringSSL; "
       "mlkem768x25519-sha256 for OpenSSH 9.9) so clients that support it are protected now."},
      {"QS-KEX-POST-QUANTUM", "PostQuantumKeyExchange", "A post-quantum key exchange",
       "Informational: this key exchange resists a quantum computer. Keep it first in the "
       "server's preference."},
      {"QS-KEX-WEAK", "WeakKeyExchange", "A key exchange breakable today",
       "Finite-field groups under 2048 bits and similar can be broken now. Remove them."},
      {"QS-KEX-UNRATED", "UnratedKeyExchange", "A key exchange the assessment does not know",
       "Check what this key exchange is and whether it should be offered."},
      {"QS-AUTH-QUANTUM-VULNERABLE", "QuantumVulnerableAuthentication",
       "A key that Shor's algorithm breaks",
       "A quantum attacker could forge this key's signatures and impersonate the server. This "
       "does not expose past traffic; plan the move to ML-DSA (FIPS 204) certificates and keys "
       "before NIST IR 8547's dates."},
      {"QS-AUTH-WEAK-KEY", "WeakAuthenticationKey", "A key breakable today",
       "RSA under 2048 bits, DSA and similar keys can be broken now. Replace the key."},
      {"QS-AUTH-POST-QUANTUM", "PostQuantumAuthentication", "A post-quantum key",
       "Informational: this key resists a quantum computer."},
      {"QS-AUTH-UNRATED", "UnratedKey", "A key the assessment does not know",
       "Check what this key is."},
      {"QS-CERT-SHA1-SIGNATURE", "Sha1CertificateSignature", "A certificate signed with SHA-1",
       "SHA-1 signatures can be forged. Reissue the certificate "
       "with SHA-256 or stronger."},
      {"QS-CERT-WEAK-SIGNATURE", "WeakCertificateSignature",
       "A certificate signature breakable today",
       "Reissue the certificate with a sound signature."},
      {"QS-CERT-SIGNATURE-QUANTUM-VULNERABLE", "QuantumVulnerableCertificateSignature",
       "A certificate signature that Shor's algorithm breaks",
       "The CA's signature could be forged by a quantum attacker. Follow your CA's plan for "
       "ML-DSA certificates."},
      {"QS-CERT-SIGNATURE-POST-QUANTUM", "PostQuantumCertificateSignature",
       "A post-quantum certificate signature", "Informational."},
      {"QS-CERT-EXPIRED", "ExpiredCertificate", "An expired certificate",
       "Clients refuse it. Renew the certificate."},
      {"QS-CERT-EXPIRING", "ExpiringCertificate", "A certificate expiring within 30 days",
       "Renew it before it expires."},
      {"QS-CERT-SELF-SIGNED", "SelfSignedCertificate", "A self-signed certificate",
       "Clients cannot verify the server. Use a certificate from a CA the clients trust."},
      {"QS-CERT-NAME-MISMATCH", "CertificateNameMismatch",
       "A certificate that does not name the host",
       "Clients refuse it. Add the name to the "
       "certificate's subject alternative names."},
      {"QS-TLS-OLD-PROTOCOL", "OldTlsProtocol", "SSLv3, TLS 1.0 or TLS 1.1 is accepted",
       "These versions are deprecated (RFC 8996) and have known attacks. Accept TLS 1.2 and 1.3 "
       "only."},
      {"QS-TLS-NO-FORWARD-SECRECY", "NoForwardSecrecy", "A cipher suite without forward secrecy",
       "Static RSA (or DH/ECDH) key transport lets anyone with the server's key, or a quantum "
       "computer, decrypt recorded sessions. Offer only ECDHE/DHE suites, and TLS 1.3."},
      {"QS-TLS-NULL-CIPHER", "NullCipher", "A cipher suite without encryption",
       "Traffic is sent in the clear. Remove NULL suites."},
      {"QS-TLS-ANONYMOUS", "AnonymousCipherSuite", "A cipher suite without authentication",
       "Anyone can impersonate the server. Remove anonymous (DH_anon, ECDH_anon) suites."},
      {"QS-TLS-EXPORT", "ExportCipherSuite", "An export-grade cipher suite",
       "40- and 56-bit export suites are broken (FREAK, Logjam). Remove them."},
      {"QS-CIPHER-BROKEN", "BrokenCipher", "A bulk cipher breakable today",
       "RC4, DES, 3DES (Sweet32), RC2 and IDEA must not be offered."},
      {"QS-CIPHER-GROVER", "GroverWeakenedCipher", "A 128-bit cipher key",
       "Grover's algorithm halves a symmetric key's strength; prefer AES-256 for data that must "
       "stay secret for decades."},
      {"QS-CIPHER-LEGACY", "LegacyCipher", "A legacy bulk cipher", "Prefer AES-GCM or ChaCha20."},
      {"QS-CIPHER-OK", "QuantumResistantCipher", "A bulk cipher that resists a quantum computer",
       "Informational."},
      {"QS-MAC-BROKEN", "BrokenMac", "A MAC built on a broken hash", "Remove MD5-based MACs."},
      {"QS-MAC", "Mac", "A MAC in use", "Informational."},
      {"QS-SSH-SHA1-SIGNATURE", "SshSha1Signature", "SSH host-key signatures with SHA-1",
       "Disable ssh-rsa (SHA-1) and ssh-dss; keep rsa-sha2-256/512 and ssh-ed25519."},
      {"QS-FILE-ENCRYPTED-KEY", "EncryptedPrivateKey", "An encrypted private key",
       "Informational: its algorithm cannot be read without the passphrase."},
      {"QS-FILE-UNENCRYPTED-KEY", "UnencryptedPrivateKey",
       "A private key stored without a passphrase",
       "Whoever can read the file holds the key: encrypt it with a passphrase (or keep it in a "
       "hardware token or a secrets manager) and restrict who can read the file."},
  };
  return all;
}

const rule* find_rule(std::string_view id) {
  for (const auto& r : rules())
    if (r.id == id)
      return &r;
  return nullptr;
}

} // namespace qs::scanner
