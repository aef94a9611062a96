// This file implements the compact binary form of Config that embeds the default rules: parsing
// patterns.toml with toml11 takes milliseconds, which the pre-commit check cannot afford on every commit,
// so the build parses it once (tools/embed_rules.cpp) and the binary only reads these bytes back.
#include <cstdint>
#include <cstring>

#include "config.hpp"
#include "error.hpp"

namespace keygate {
namespace {

class Writer {
 public:
  void u32(std::uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void f64(double v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_ += s;
  }
  void strs(const std::vector<std::string>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const std::string& s : v) str(s);
  }
  void allowlist(const AllowlistSpec& a) {
    str(a.description);
    u32(static_cast<std::uint32_t>(a.condition));
    u32(static_cast<std::uint32_t>(a.regex_target));
    strs(a.regexes);
    strs(a.paths);
    strs(a.stopwords);
    strs(a.commits);
    strs(a.target_rules);
    u32(static_cast<std::uint32_t>(a.line));
  }
  void allowlists(const std::vector<AllowlistSpec>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const AllowlistSpec& a : v) allowlist(a);
  }
  void ints(const std::vector<int>& v) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (int i : v) u32(static_cast<std::uint32_t>(i));
  }
  void verify(const std::optional<VerifySpec>& v) {
    u32(v.has_value() ? 1 : 0);
    if (!v) return;
    str(v->provider);
    str(v->method);
    str(v->base);
    str(v->url);
    u32(static_cast<std::uint32_t>(v->headers.size()));
    for (const auto& [name, value] : v->headers) str(name), str(value);
    ints(v->live);
    ints(v->dead);
    u32(static_cast<std::uint32_t>(v->line));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint32_t u32() {
    std::uint32_t v;
    raw(&v, sizeof v);
    return v;
  }
  double f64() {
    double v;
    raw(&v, sizeof v);
    return v;
  }
  std::string str() {
    const std::uint32_t n = u32();
    need(n);
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(u32());
    for (std::string& s : v) s = str();
    return v;
  }
  AllowlistSpec allowlist() {
    AllowlistSpec a;
    a.description = str();
    a.condition = static_cast<Condition>(u32());
    a.regex_target = static_cast<RegexTarget>(u32());
    a.regexes = strs();
    a.paths = strs();
    a.stopwords = strs();
    a.commits = strs();
    a.target_rules = strs();
    a.line = static_cast<int>(u32());
    return a;
  }
  std::vector<AllowlistSpec> allowlists() {
    std::vector<AllowlistSpec> v(u32());
    for (AllowlistSpec& a : v) a = allowlist();
    return v;
  }
  std::vector<int> ints() {
    std::vector<int> v(u32());
    for (int& i : v) i = static_cast<int>(u32());
    return v;
  }
  std::optional<VerifySpec> verify() {
    if (u32() == 0) return std::nullopt;
    VerifySpec v;
    v.provider = str();
    v.method = str();
    v.base = str();
    v.url = str();
    v.headers.resize(u32());
    for (auto& [name, value] : v.headers) name = str(), value = str();
    v.live = ints();
    v.dead = ints();
    v.line = static_cast<int>(u32());
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

constexpr std::uint32_t kMagic = 0x4b470003;  // "KG", format 3 (rules carry their verifier)

}  // namespace

std::string serialize_config(const Config& config) {
  Writer w;
  w.u32(kMagic);
  w.str(config.file);
  w.u32(static_cast<std::uint32_t>(config.rules.size()));
  for (const RuleSpec& r : config.rules) {
    w.str(r.id);
    w.str(r.description);
    w.str(r.regex);
    w.str(r.path);
    w.u32(static_cast<std::uint32_t>(r.secret_group));
    w.f64(r.entropy);
    w.strs(r.keywords);
    w.strs(r.tags);
    w.allowlists(r.allowlists);
    w.strs(r.examples);
    w.strs(r.lookalikes);
    w.verify(r.verify);
    w.str(r.file);
    w.u32(static_cast<std::uint32_t>(r.line));
    w.u32(static_cast<std::uint32_t>(r.regex_line));
  }
  w.allowlists(config.allowlists);
  return w.take();
}

Config deserialize_config(std::string_view bytes) {
  Reader r(bytes);
  if (r.u32() != kMagic) throw Error("embedded rules have an unknown format (build error)");
  Config config;
  config.file = r.str();
  config.rules.resize(r.u32());
  for (RuleSpec& rule : config.rules) {
    rule.id = r.str();
    rule.description = r.str();
    rule.regex = r.str();
    rule.path = r.str();
    rule.secret_group = static_cast<int>(r.u32());
    rule.entropy = r.f64();
    rule.keywords = r.strs();
    rule.tags = r.strs();
    rule.allowlists = r.allowlists();
    rule.examples = r.strs();
    rule.lookalikes = r.strs();
    rule.verify = r.verify();
    rule.file = r.str();
    rule.line = static_cast<int>(r.u32());
    rule.regex_line = static_cast<int>(r.u32());
  }
  config.allowlists = r.allowlists();
  if (!r.done()) throw Error("embedded rules have trailing bytes (build error)");
  return config;
}

}  // namespace keygate
