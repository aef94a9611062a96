// This file implements the detector (see matcher.hpp).
#include "detect/matcher.hpp"

#include <algorithm>
#include <cstring>

#include "detect/decode.hpp"
#include "detect/generic.hpp"
#include "detect/windows.hpp"

namespace keygate {
namespace {

// Offsets of the line starts of a text, computed on the first finding only.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {}
  // 0-based line of `offset`.
  int line_of(std::size_t offset) {
    build();
    return static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin()) - 1;
  }
  std::size_t start_of_line(int line) {
    build();
    return starts_[static_cast<std::size_t>(line)];
  }
  std::size_t end_of_line(int line) {
    build();
    const std::size_t next = static_cast<std::size_t>(line) + 1;
    return next < starts_.size() ? starts_[next] - 1 : text_.size();
  }

 private:
  void build() {
    if (!starts_.empty()) return;
    starts_.push_back(0);
    const char* p = text_.data();
    const char* end = p + text_.size();
    while (p < end) {
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (nl == nullptr) break;
      p = static_cast<const char*>(nl) + 1;
      starts_.push_back(static_cast<std::size_t>(p - text_.data()));
    }
  }
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

struct Candidate {
  std::string_view secret;
  std::string_view match;
  std::string_view line;  // the whole line(s) the match is on
  std::string_view path;
  const CommitInfo* commit;
};

bool partial_match(const RE2& re, std::string_view text) {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

bool allowlist_covers(const CompiledAllowlist& a, const Candidate& c) {
  const CompiledAllowlist& spec = a;
  int listed = 0, held = 0;
  if (!spec.commits.empty()) {
    ++listed;
    if (c.commit != nullptr &&
        std::any_of(spec.commits.begin(), spec.commits.end(), [&](const std::string& id) {
          return !id.empty() && c.commit->id.compare(0, id.size(), id) == 0;
        })) {
      ++held;
    }
  }
  if (!a.paths.empty()) {
    ++listed;
    if (std::any_of(a.paths.begin(), a.paths.end(),
                    [&](const auto& re) { return partial_match(*re, c.path); }))
      ++held;
  }
  if (!a.regexes.empty()) {
    ++listed;
    std::string_view target = spec.regex_target == RegexTarget::Match  ? c.match
                              : spec.regex_target == RegexTarget::Line ? c.line
                                                                       : c.secret;
    if (std::any_of(a.regexes.begin(), a.regexes.end(),
                    [&](const auto& re) { return partial_match(*re, target); })) {
      ++held;
    }
  }
  if (!spec.stopwords.empty()) {
    ++listed;
    // The secret lower-cased once, as config.cpp lower-cased the stopwords, then a plain search for each
    // (gitleaks' generic rule has 1,459).
    std::string secret(c.secret);
    for (char& ch : secret) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (std::any_of(spec.stopwords.begin(), spec.stopwords.end(), [&](const std::string& w) {
          return !w.empty() && secret.find(w) != std::string::npos;
        })) {
      ++held;
    }
  }
  return spec.condition == Condition::And ? (listed > 0 && held == listed) : held > 0;
}

bool allowed(const RuleSet& rules, const Rule& rule, const Candidate& c) {
  for (const CompiledAllowlist& a : rule.allowlists()) {
    if (allowlist_covers(a, c)) return true;
  }
  for (const CompiledAllowlist* a : rules.global_allowlists(rule.spec().id)) {
    if (allowlist_covers(*a, c)) return true;
  }
  return false;
}

bool has_inline_allow(std::string_view line) {
  return line.find("keygate:allow") != std::string_view::npos ||
         line.find("gitleaks:allow") != std::string_view::npos;
}

bool touches_added_line(const std::vector<LineRange>& added, int first, int last) {
  auto it = std::lower_bound(added.begin(), added.end(), first,
                             [](const LineRange& r, int line) { return r.last < line; });
  return it != added.end() && it->first <= last;
}

Finding make_finding(const RuleSpec& spec, const Fragment& f, std::string_view secret, int line, int column,
                     int end_line) {
  Finding finding;
  finding.rule_id = spec.id;
  finding.description = spec.description;
  finding.kind = f.origin.kind;
  finding.file = f.origin.path;
  finding.line = line;
  finding.column = column;
  finding.end_line = end_line;
  finding.secret = std::string(secret);
  finding.entropy = shannon_entropy(secret);
  finding.commit = f.origin.commit;
  finding.confidence = spec.confidence.value_or(Confidence::High);
  return finding;
}

// A finding with the span of its secret in the fragment, before overlaps are resolved.
struct Found {
  Finding finding;
  std::size_t begin, end;
  bool generic;
  bool decoded = false;  // found in decoded text: [begin, end) is the encoded span
};

// Runs one rule's regex over text[begin, end) (the rest of the text is context for ^, $ and \b).
void scan_rule(const RuleSet& rules, const Rule& rule, const Fragment& f, LineIndex& lines, std::size_t begin,
               std::size_t end, std::vector<Found>& out) {
  const RuleSpec& spec = rule.spec();
  const RegexSearch& search = rule.search();
  const int groups = search.groups();
  std::vector<re2::StringPiece> group(static_cast<std::size_t>(groups) + 1);
  const re2::StringPiece text(f.text.data(), f.text.size());
  std::size_t pos = begin;
  // Find where the next match is with the whole-match-only search (RE2 answers it with its DFAs), then
  // extract the groups from that span alone. Asking for groups over the whole window makes RE2 pick its
  // backtracking engine for short texts, whose cost grows with the regex's size: 5x slower here.
  RegexMatch at;
  while (pos <= end && search.find(text, pos, end, &at)) {
    if (!search.submatches(text, at, group.data(), groups + 1)) break;
    const re2::StringPiece match = group[0];
    re2::StringPiece secret = match;
    if (spec.secret_group > 0) {
      secret = group[static_cast<std::size_t>(spec.secret_group)];
    } else {
      for (int g = 1; g <= groups; ++g) {
        if (!group[static_cast<std::size_t>(g)].empty()) {
          secret = group[static_cast<std::size_t>(g)];
          break;
        }
      }
    }
    const std::size_t match_start = static_cast<std::size_t>(match.data() - text.data());
    const std::size_t match_end = match_start + match.size();
    // Resume at the end of the secret, not of the match: a match may end with a delimiter that is also the
    // leading delimiter of the next secret ("key1,key2").
    const std::size_t secret_start =
        secret.data() ? static_cast<std::size_t>(secret.data() - text.data()) : match_start;
    const std::size_t secret_end = secret_start + secret.size();
    pos = std::max(secret_end, match_start + 1);
    if (match_end == match_start) pos = std::max(pos, match_end + 1);
    if (secret.empty()) continue;
    if (secret_start < f.report_from || secret_start >= f.report_to) continue;
    const std::string_view secret_view(secret.data(), secret.size());
    if (spec.entropy > 0 && shannon_entropy(secret_view) < spec.entropy) continue;
    if (!validate(rule.check(), secret_view)) continue;

    const int line0 = lines.line_of(secret_start);
    const int last0 = lines.line_of(secret_end > secret_start ? secret_end - 1 : secret_start);
    const int match_line0 = lines.line_of(match_start);
    const int match_last0 = lines.line_of(match_end > match_start ? match_end - 1 : match_start);
    const std::size_t line_begin = lines.start_of_line(match_line0);
    const std::size_t line_end = lines.end_of_line(match_last0);
    const std::string_view line_text = f.text.substr(line_begin, line_end - line_begin);

    const int line = f.first_line + line0;
    const int last = f.first_line + last0;
    if (f.added_lines != nullptr && !touches_added_line(*f.added_lines, line, last)) continue;
    if (rules.config().inline_allow && has_inline_allow(line_text)) continue;
    const Candidate c{secret_view, std::string_view(match.data(), match.size()), line_text, f.origin.path,
                      f.origin.commit.get()};
    if (allowed(rules, rule, c)) continue;
    const int column = static_cast<int>(secret_start - lines.start_of_line(line0)) + 1;
    out.push_back(
        {make_finding(spec, f, secret_view, line, column, last), secret_start, secret_end, rule.generic()});
    // A generic regex (a URL's password, a high-entropy value) names a credential without its provider.
    if (rule.generic() && !spec.confidence) out.back().finding.confidence = Confidence::Medium;
  }
}

// Runs a rule's built-in detector (generic.hpp) over text[begin, end) instead of a regex.
void scan_detector(const RuleSet& rules, const Rule& rule, const Fragment& f, LineIndex& lines,
                   std::size_t begin, std::size_t end, std::vector<Found>& out) {
  const RuleSpec& spec = rule.spec();
  std::vector<Assignment> found;
  find_assignments(f.text, begin, end, spec.detector, found);
  for (const Assignment& a : found) {
    if (a.value_begin < f.report_from || a.value_begin >= f.report_to) continue;
    const std::string_view secret = f.text.substr(a.value_begin, a.value_end - a.value_begin);
    if (spec.entropy > 0 && shannon_entropy(secret) < spec.entropy) continue;
    const int line0 = lines.line_of(a.value_begin);
    const std::size_t line_begin = lines.start_of_line(line0);
    const std::string_view line_text = f.text.substr(line_begin, lines.end_of_line(line0) - line_begin);
    const int line = f.first_line + line0;
    if (f.added_lines != nullptr && !touches_added_line(*f.added_lines, line, line)) continue;
    if (rules.config().inline_allow && has_inline_allow(line_text)) continue;
    const std::string_view match = f.text.substr(a.name_begin, a.value_end - a.name_begin);
    if (allowed(rules, rule, Candidate{secret, match, line_text, f.origin.path, f.origin.commit.get()}))
      continue;
    Finding finding =
        make_finding(spec, f, secret, line, static_cast<int>(a.value_begin - line_begin) + 1, line);
    finding.confidence = spec.confidence.value_or(a.confidence);
    out.push_back({std::move(finding), a.value_begin, a.value_end, rule.generic()});
  }
}

// A generic rule's finding is dropped where a specific rule found the same secret (or one that contains
// it): "a high-entropy token" says less than "a Together API key". A generic secret that reaches beyond
// the specific one is kept, since it may be a different, longer credential.
std::vector<Finding> resolve_overlaps(std::vector<Found> found) {
  std::vector<Finding> out;
  for (const Found& f : found) {
    // Two findings in one decoded span share its place; the decoded text's own overlaps were resolved.
    const bool shadowed = f.generic && std::any_of(found.begin(), found.end(), [&](const Found& other) {
                            return !other.generic && other.begin <= f.begin && f.end <= other.end &&
                                   !(f.decoded && other.decoded);
                          });
    if (!shadowed) out.push_back(f.finding);
  }
  return out;
}

// The findings in the fragment's own text, before overlaps are resolved.
std::vector<Found> detect(const RuleSet& rules, const Fragment& fragment, LineIndex& lines) {
  std::vector<Found> found;
  const auto& all = rules.rules();
  auto run = [&](std::size_t rule_index, std::size_t begin, std::size_t end) {
    const Rule& rule = all[rule_index]->compiled();
    if (rule.path_only()) return;  // see scan_path
    if (rule.path() != nullptr && !partial_match(*rule.path(), fragment.origin.path)) return;
    if (!rule.spec().detector.empty()) return scan_detector(rules, rule, fragment, lines, begin, end, found);
    scan_rule(rules, rule, fragment, lines, begin, end, found);
  };
  for (std::size_t i : rules.unconditional()) run(i, 0, fragment.text.size());

  if (fragment.text.size() >= (std::size_t{1} << 32)) {
    // Offsets would not fit a keyword hit: search whole texts for the rules whose keywords occur.
    std::vector<unsigned char> hits(all.size(), 0);
    rules.keywords().find(fragment.text, hits);
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (hits[i] && !all[i]->spec().keywords.empty()) run(i, 0, fragment.text.size());
    }
  } else {
    // Each rule runs only around its keywords' occurrences, over merged windows.
    std::vector<KeywordIndex::Hit> hits;
    rules.keywords().find_all(fragment.text, hits, &rules);
    std::vector<RuleWindow> windows;
    rule_windows(fragment.text, hits, rules, windows);
    for (const RuleWindow& w : windows) run(w.rule, w.begin, w.end);
  }
  return found;
}

// The findings in what the fragment's encoded spans decode to (decode.hpp), each placed at its encoded span
// in the original text, whose lines decide inline `keygate:allow`, line allowlists, the added-line filter
// and chunk ownership, exactly as for a plain finding there.
void add_decoded_findings(const RuleSet& rules, const Fragment& f, LineIndex& lines,
                          std::vector<Found>& found) {
  DecodeLimits limits;
  limits.max_depth = rules.max_decode_depth();
  limits.max_bytes = decode_byte_bound(f.text.size());
  const DecodedText d = decode_text(f.text, limits);
  if (d.cut) note_decode_cut(f.origin.path, limits.max_bytes);
  if (d.spans.empty()) return;
  Fragment inner;
  inner.text = d.text;
  inner.origin = f.origin;
  LineIndex inner_lines(d.text);
  std::vector<Found> inner_found = detect(rules, inner, inner_lines);
  // Overlaps inside the decoded text first: each finding there then takes its whole encoded span.
  std::vector<Finding> kept = resolve_overlaps(inner_found);
  const std::size_t plain = found.size();
  for (std::size_t k = 0; k < inner_found.size(); ++k) {
    const Found& x = inner_found[k];
    if (std::none_of(kept.begin(), kept.end(), [&](const Finding& y) {
          return y.rule_id == x.finding.rule_id && y.line == x.finding.line && y.column == x.finding.column;
        })) {
      continue;
    }
    auto span = std::upper_bound(d.spans.begin(), d.spans.end(), x.begin,
                                 [](std::size_t at, const DecodedSpan& s) { return at < s.begin; });
    if (span == d.spans.begin()) continue;
    --span;
    if (x.end > span->end) continue;  // runs into the next span: not one decoded text
    const Rule& rule = *rules.find(x.finding.rule_id);
    for (const EncodedPlace& place : d.places) {
      if (place.root != span->root) continue;
      if (place.offset < f.report_from || place.offset >= f.report_to) continue;
      const std::size_t end = place.offset + place.length;
      const bool repeats_plain =
          std::any_of(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(plain), [&](const Found& p) {
            return p.begin >= place.offset && p.end <= end && p.finding.rule_id == x.finding.rule_id &&
                   p.finding.secret == x.finding.secret;
          });
      if (repeats_plain) continue;
      const int line0 = lines.line_of(place.offset);
      const int last0 = lines.line_of(end - 1);
      const int line = f.first_line + line0, last = f.first_line + last0;
      if (f.added_lines != nullptr && !touches_added_line(*f.added_lines, line, last)) continue;
      const std::size_t line_begin = lines.start_of_line(line0);
      const std::string_view line_text = f.text.substr(line_begin, lines.end_of_line(last0) - line_begin);
      if (rules.config().inline_allow && has_inline_allow(line_text)) continue;
      const Candidate c{x.finding.secret, x.finding.secret, line_text, f.origin.path, f.origin.commit.get()};
      if (allowed(rules, rule, c)) continue;
      // Decoded twice over the same place (a base64 value inside a percent-encoded URL): the shorter chain.
      const std::string how = chain_name(span->chain);
      const auto same =
          std::find_if(found.begin() + static_cast<std::ptrdiff_t>(plain), found.end(), [&](const Found& o) {
            return o.begin < end && place.offset < o.end && o.finding.rule_id == x.finding.rule_id &&
                   o.finding.secret == x.finding.secret;
          });
      if (same != found.end()) {
        if (same->finding.decoded.size() > how.size()) same->finding.decoded = how;
        continue;
      }
      Found out{x.finding, place.offset, end, x.generic, true};
      out.finding.line = line;
      out.finding.column = static_cast<int>(place.offset - line_begin) + 1;
      out.finding.end_line = last;
      out.finding.decoded = how;
      out.finding.encoded_length = place.length;
      found.push_back(std::move(out));
    }
  }
}

}  // namespace

std::vector<Finding> scan(const RuleSet& rules, const Fragment& fragment) {
  LineIndex lines(fragment.text);
  std::vector<Found> found = detect(rules, fragment, lines);
  if (rules.max_decode_depth() > 0) add_decoded_findings(rules, fragment, lines, found);
  // Generic findings in tests, examples and docs are less likely live credentials: one level down.
  if (path_matches_demote(fragment.origin.path, rules.demote_paths())) {
    for (Found& f : found) {
      if (f.generic) f.finding.confidence = demoted(f.finding.confidence);
    }
  }
  std::vector<Finding> out = resolve_overlaps(std::move(found));
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

std::vector<Finding> scan_text(const RuleSet& rules, std::string_view text, const Origin& origin) {
  constexpr std::size_t kChunk = kChunkSize, kOverlap = kChunkOverlap;
  std::vector<Finding> out;
  int first_line = 1;
  for (std::size_t start = 0;;) {
    // This chunk reports secrets starting in [start, start + kChunk); it sees kOverlap more on each side.
    const std::size_t begin = start > kOverlap ? start - kOverlap : 0;
    const std::size_t end = std::min(text.size(), start + kChunk + kOverlap);
    Fragment f;
    f.text = text.substr(begin, end - begin);
    f.origin = origin;
    f.first_line = first_line;
    f.report_from = start - begin;
    f.report_to = start + kChunk >= text.size() ? f.text.size() + 1 : start + kChunk - begin;
    std::vector<Finding> found = scan(rules, f);
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    if (start + kChunk >= text.size()) break;
    // The next chunk begins kOverlap before start + kChunk: count the lines up to there.
    const std::size_t next_begin = start + kChunk - kOverlap;
    first_line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(begin),
                                              text.begin() + static_cast<std::ptrdiff_t>(next_begin), '\n'));
    start += kChunk;
  }
  return out;
}

std::vector<Finding> scan_path(const RuleSet& rules, const Origin& origin) {
  const std::string_view path = origin.path;
  std::vector<Finding> out;
  for (std::size_t i : rules.path_only()) {
    const Rule& rule = rules.rules()[i]->compiled();
    if (!partial_match(*rule.path(), path)) continue;
    const Candidate c{path, path, path, path, origin.commit.get()};
    if (allowed(rules, rule, c)) continue;
    Finding f;
    f.rule_id = rule.spec().id;
    f.description = rule.spec().description;
    f.kind = origin.kind;
    f.file = origin.path;
    f.secret = origin.path;
    f.commit = origin.commit;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace keygate
