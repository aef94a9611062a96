// This file implements the compact binary form of Config that embeds the default rules: parsing
// patterns.toml with toml11 takes milliseconds, which the pre-commit check cannot afford on every commit,
// so the build parses it once (tools/embed_rules.cpp) and the binary only reads these bytes back.
#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>

#include "config/config.hpp"
#include "core/error.hpp"

namespace keygate {
namespace {

class Writer {
 public:
  void put(std::uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void put(int v) { put(static_cast<std::uint32_t>(v)); }
  void put(double v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void put(Condition v) { put(static_cast<std::uint32_t>(v)); }
  void put(RegexTarget v) { put(static_cast<std::uint32_t>(v)); }
  void put(Confidence v) { put(static_cast<std::uint32_t>(v)); }
  void put(const std::string& s) {
    put(static_cast<std::uint32_t>(s.size()));
    out_ += s;
  }
  void put(bool v) { put(static_cast<std::uint32_t>(v ? 1 : 0)); }
  void put(const std::pair<std::string, std::string>& p) { put(p.first), put(p.second); }
  void put(const VerifySpec& v) {
    visit_verify_fields(v, [this](const auto& field) { put(field); });
  }
  void put(const std::optional<VerifySpec>& v) {
    put(v.has_value());
    if (v) put(*v);
  }
  void put(const AllowlistSpec& a) {
    visit_allowlist_fields(a, [this](const auto& field) { put(field); });
  }
  void put(const RuleSpec& r) {
    visit_rule_fields(r, [this](const auto& field) { put(field); });
  }
  template <typename T>
  void put(const std::optional<T>& v) {  // a presence flag, then the value when present
    put(static_cast<std::uint32_t>(v.has_value()));
    if (v) put(*v);
  }
  template <typename T>
  void put(const std::vector<T>& v) {
    put(static_cast<std::uint32_t>(v.size()));
    for (const T& item : v) put(item);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  void get(std::uint32_t& v) { raw(&v, sizeof v); }
  void get(int& v) { v = static_cast<int>(u32()); }
  void get(double& v) { raw(&v, sizeof v); }
  void get(Condition& v) { v = static_cast<Condition>(u32()); }
  void get(RegexTarget& v) { v = static_cast<RegexTarget>(u32()); }
  void get(Confidence& v) { v = static_cast<Confidence>(u32()); }
  void get(std::string& s) {
    const std::uint32_t n = u32();
    need(n);
    s.assign(in_.substr(pos_, n));
    pos_ += n;
  }
  void get(bool& v) { v = u32() != 0; }
  void get(std::pair<std::string, std::string>& p) { get(p.first), get(p.second); }
  void get(VerifySpec& v) {
    visit_verify_fields(v, [this](auto& field) { get(field); });
  }
  void get(std::optional<VerifySpec>& v) {
    bool present = false;
    get(present);
    v.reset();
    if (present) get(v.emplace());
  }
  void get(AllowlistSpec& a) {
    visit_allowlist_fields(a, [this](auto& field) { get(field); });
  }
  void get(RuleSpec& r) {
    visit_rule_fields(r, [this](auto& field) { get(field); });
  }
  template <typename T>
  void get(std::optional<T>& v) {
    v.reset();
    if (u32() != 0) get(v.emplace());
  }
  template <typename T>
  void get(std::vector<T>& v) {
    const std::uint32_t n = u32();
    need(n);  // each item takes at least one byte: a corrupt count cannot allocate more than the input
    v.resize(n);
    for (T& item : v) get(item);
  }
  std::uint32_t u32() {
    std::uint32_t v;
    get(v);
    return v;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  void need(std::size_t n) const {
    if (in_.size() - pos_ < n) throw Error("embedded rules are truncated (build error)");
  }
  void raw(void* out, std::size_t n) {
    need(n);
    std::memcpy(out, in_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

constexpr std::uint32_t kMagic =
    0x4b470005;  // "KG", format 5: rules carry verifier (with dead_if), trust, detector, confidence

}  // namespace

std::string serialize_config(const Config& config) {
  Writer w;
  w.put(kMagic);
  w.put(config.file);
  w.put(config.rules);
  w.put(config.allowlists);
  w.put(config.demote_paths);
  w.put(config.min_confidence);
  return w.take();
}

Config deserialize_config(std::string_view bytes) {
  Reader r(bytes);
  if (r.u32() != kMagic) throw Error("embedded rules have an unknown format (build error)");
  Config config;
  r.get(config.file);
  r.get(config.rules);
  r.get(config.allowlists);
  r.get(config.demote_paths);
  r.get(config.min_confidence);
  if (!r.done()) throw Error("embedded rules have trailing bytes (build error)");
  return config;
}

}  // namespace keygate
