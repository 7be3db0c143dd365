#include "actors/analytics/algorithm_elements.hpp"

#include <algorithm>

namespace qs::analytics {

namespace {

int ecc_strength(const catalog::curve_info& c) {
  if (c.name == "Curve25519")
    return 128;
  if (c.name == "Curve448")
    return 224;
  return std::min(256, c.bits / 2);
}

std::string with_size(const std::string& name, std::optional<int> bits) {
  return bits ? name + "-" + std::to_string(*bits) : name;
}

} // namespace

bool is_public_key(const algorithm_element& e) {
  switch (e.tag) {
  case element_tag::rsa:
  case element_tag::dh:
  case element_tag::ecdh:
  case element_tag::ecdsa:
  case element_tag::eddsa:
  case element_tag::dsa:
  case element_tag::elgamal:
  case element_tag::curve:
    return true;
  default:
    return false;
  }
}

bool is_key_agreement(const algorithm_element& e) {
  if (e.tag == element_tag::curve)
    return !(e.curve && e.curve->name == "secp256k1");
  return e.tag == element_tag::dh || e.tag == element_tag::ecdh;
}

algorithm_assessment build_public_key(const algorithm_element& e, primitive role) {
  auto pick = [role](primitive natural) { return role == primitive::unknown ? natural : role; };
  int assumed_ff = catalog::finite_field_strength(e.bits.value_or(2048));
  switch (e.tag) {
  case element_tag::rsa: {
    primitive kind = pick(primitive::public_key_encryption);
    if (kind == primitive::key_exchange)
      kind = primitive::public_key_encryption; // RSA key transport
    return catalog::public_key(with_size("RSA", e.bits), "RSA", kind, e.bits, "", assumed_ff);
  }
  case element_tag::dh: {
    std::string name = !e.label.empty() ? e.label : with_size(e.ephemeral ? "DHE" : "DH", e.bits);
    return catalog::public_key(name, "DH", primitive::key_exchange, e.bits, "", assumed_ff);
  }
  case element_tag::dsa:
    return catalog::public_key(with_size("DSA", e.bits), "DSA", primitive::signature, e.bits, "",
                               assumed_ff);
  case element_tag::elgamal:
    return catalog::public_key(with_size("ElGamal", e.bits), "ElGamal",
                               pick(primitive::public_key_encryption), e.bits, "", assumed_ff);
  case element_tag::eddsa: {
    auto c = e.curve.value_or(*catalog::curve_from_atom("ed25519"));
    std::string name = c.name == "Curve448" ? "Ed448" : e.curve ? "Ed25519" : "EdDSA";
    return catalog::public_key(name, "EdDSA", primitive::signature, c.bits, c.name,
                               ecc_strength(c));
  }
  case element_tag::ecdsa:
  case element_tag::ecdh:
  case element_tag::curve: {
    bool signs =
        e.tag == element_tag::ecdsa || (e.tag == element_tag::curve && !is_key_agreement(e));
    std::string family = signs ? "ECDSA" : "ECDH";
    std::string prefix = signs ? "ECDSA" : e.ephemeral ? "ECDHE" : "ECDH";
    if (!e.curve)
      return catalog::public_key(prefix, family,
                                 signs ? primitive::signature : primitive::key_exchange,
                                 std::nullopt, "", 128);
    const auto& c = *e.curve;
    std::string name = prefix + "-" + c.label;
    if (c.name == "Curve25519" || c.name == "Curve448")
      name = signs ? (c.name == "Curve448" ? "Ed448" : "Ed25519") : "X" + c.label;
    return catalog::public_key(name, family, signs ? primitive::signature : primitive::key_exchange,
                               c.bits, c.name, ecc_strength(c));
  }
  default:
    return e.value;
  }
}

} // namespace qs::analytics
