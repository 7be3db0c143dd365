#include "actors/intel/cwe_families.hpp"

#include <initializer_list>
#include <iterator>

namespace qs::intel {

namespace {

// CWE families, by CWE number; the slot order is the order here.
struct family {
  const char* name;
  std::initializer_list<int> cwes;
};
const family families[] = {
    {"injection", {74, 77, 78, 88, 89, 90, 91, 93, 94, 95, 96, 97, 98, 113, 116, 917, 943, 1336}},
    {"memory", {118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 131, 134, 170, 415,
                416, 476, 680, 761, 762, 763, 787, 788, 805, 822, 823, 824, 825}},
    {"integer", {128, 189, 190, 191, 192, 194, 195, 196, 197, 369, 681, 682}},
    {"xss", {79, 80, 83, 84, 85, 86, 87}},
    {"path", {22, 23, 24, 35, 36, 37, 59, 61, 62, 73, 706}},
    {"authentication", {287, 288, 289, 290, 294, 295, 297, 300, 303, 304,  305,
                        306, 307, 308, 521, 522, 523, 620, 640, 798, 1390, 1391}},
    {"access", {264, 266, 267, 268, 269, 270, 271, 272, 273, 274, 276, 277, 279,
                280, 281, 282, 283, 284, 285, 639, 648, 732, 749, 862, 863, 1220}},
    {"exposure", {200, 201, 202, 203, 204, 208, 209, 212, 213, 215, 219, 497, 532, 538, 548, 552}},
    {"crypto", {261, 310, 311, 312, 319, 320, 321, 323, 324, 325, 326, 327, 328, 329,
                330, 331, 334, 335, 336, 337, 338, 347, 757, 759, 760, 780, 916}},
    {"input", {20, 1284, 1285, 1286, 1287, 1288, 1289}},
    {"csrf", {352}},
    {"deserialisation", {502}},
    {"upload", {434}},
    {"ssrf", {918}},
    {"xml", {611, 776, 827}},
    {"resource",
     {399, 400, 401, 404, 405, 407, 409, 770, 771, 772, 773, 774, 775, 789, 834, 835, 1333}},
    {"race", {362, 364, 366, 367, 820, 821}},
    {"redirect", {601}},
    {"session", {384, 613, 614}},
    {"configuration", {16, 1188}},
    {"code", {17, 19, 254, 255, 665, 668, 669, 670, 693, 703, 704, 706, 754, 755}},
    {"untrusted", {345, 346, 348, 349, 350, 353, 354, 426, 427, 428, 494, 829, 830}},
};
constexpr std::uint32_t other_family = std::size(families);   // a CWE in none
constexpr std::uint32_t nvd_other_family = other_family + 1;  // "NVD-CWE-Other"
constexpr std::uint32_t nvd_noinfo_family = other_family + 2; // "NVD-CWE-noinfo"
static_assert(nvd_noinfo_family + 1 == cwe_family_count);

int cwe_number(const std::string& cwe) {
  if (cwe.rfind("CWE-", 0) != 0)
    return -1;
  int n = 0;
  for (std::size_t i = 4; i < cwe.size(); ++i) {
    if (cwe[i] < '0' || cwe[i] > '9' || n > 100000)
      return -1;
    n = n * 10 + (cwe[i] - '0');
  }
  return cwe.size() > 4 ? n : -1;
}

} // namespace

std::uint32_t cwe_family_slot(const std::string& cwe) {
  if (cwe == "NVD-CWE-Other")
    return nvd_other_family;
  if (cwe == "NVD-CWE-noinfo")
    return nvd_noinfo_family;
  const int n = cwe_number(cwe);
  for (std::uint32_t f = 0; f < std::size(families); ++f)
    for (int c : families[f].cwes)
      if (c == n)
        return f;
  return other_family;
}

std::string cwe_family_name(std::uint32_t slot) {
  if (slot < std::size(families))
    return families[slot].name;
  return slot == nvd_other_family    ? "nvd-other"
         : slot == nvd_noinfo_family ? "nvd-noinfo"
                                     : "other";
}

std::string cwe_family(const std::string& cwe) {
  return cwe_family_name(cwe_family_slot(cwe));
}

} // namespace qs::intel
