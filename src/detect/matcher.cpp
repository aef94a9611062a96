// This file implements the detector (see matcher.hpp).
#include "detect/matcher.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>

#include "core/chunk_plan.hpp"
#include "detect/decode.hpp"
#include "detect/generic.hpp"
#include "detect/score_features.hpp"
#include "detect/windows.hpp"
#include "rules/provider_prefixes.hpp"
#include "util/ascii.hpp"

namespace keygate {
namespace {

bool has_inline_allow(std::string_view line);

// Offsets of the line starts of a text, listed as far as the places asked about need: a blob whose one
// candidate is near its start is not read to its end for line breaks.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {}
  // 0-based line of `offset`.
  int line_of(std::size_t offset) {
    list_past(offset);
    return static_cast<int>(std::upper_bound(starts_.begin(), starts_.end(), offset) - starts_.begin()) - 1;
  }
  // REQUIRES: `line` was returned by line_of.
  std::size_t start_of_line(int line) { return starts_[static_cast<std::size_t>(line)]; }
  // REQUIRES: `line` was returned by line_of.
  std::size_t end_of_line(int line) {
    list_past(starts_[static_cast<std::size_t>(line)]);
    const std::size_t next = static_cast<std::size_t>(line) + 1;
    return next < starts_.size() ? starts_[next] - 1 : text_.size();
  }
  // has_inline_allow(line), remembered for the last line asked: the many findings of one long line (one
  // line of megabytes) must not each search all of it.
  bool inline_allow(std::string_view line) {
    if (line.data() != allow_line_.data() || line.size() != allow_line_.size()) {
      allow_line_ = line;
      allow_ = has_inline_allow(line);
    }
    return allow_;
  }

 private:
  // Lists line starts until one is past `offset` or the text has no more.
  void list_past(std::size_t offset) {
    if (starts_.empty()) starts_.push_back(0);
    const char* end = text_.data() + text_.size();
    while (!complete_ && starts_.back() <= offset) {
      const char* p = text_.data() + starts_.back();
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (nl == nullptr) {
        complete_ = true;
        break;
      }
      starts_.push_back(static_cast<std::size_t>(static_cast<const char*>(nl) + 1 - text_.data()));
    }
  }
  std::string_view text_;
  std::vector<std::size_t> starts_;
  bool complete_ = false;  // starts_ holds every line start
  std::string_view allow_line_;
  bool allow_ = false;
};

// What an allowlist is matched against (AllowlistSpec::regex_target, paths, commits).
struct AllowlistTarget {
  std::string_view secret;
  std::string_view match;
  std::string_view line;  // the whole line(s) the match is on
  std::string_view path;
  const CommitInfo* commit;
};

bool partial_match(const RE2& re, std::string_view text) {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

bool allowlist_covers(const CompiledAllowlist& a, const AllowlistTarget& c) {
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
    const std::string secret = lowered(c.secret);
    if (std::any_of(spec.stopwords.begin(), spec.stopwords.end(), [&](const std::string& w) {
          return !w.empty() && secret.find(w) != std::string::npos;
        })) {
      ++held;
    }
  }
  return spec.condition == Condition::And ? (listed > 0 && held == listed) : held > 0;
}

bool allowed(const RuleSet& rules, const Rule& rule, const AllowlistTarget& c) {
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

// A secret one of the detector's ways found in a fragment's text (a rule's regex, a built-in detector, a
// decoded text), before the checks every finding passes (accept).
struct Candidate {
  std::size_t begin, end;                  // the secret's span; decoded: its encoded span
  std::size_t context_begin, context_end;  // the span whose whole lines are its line (the match)
  std::string_view secret;                 // what allowlists' "secret" target and stopwords see
  std::string_view match;                  // what allowlists' "match" target sees
};

// Where an accepted candidate is reported.
struct Placement {
  int line, column, end_line;
  std::size_t line_begin;      // where the candidate's (first context) line starts in the text
  std::string_view line_text;  // its context's whole lines, which inline allows and allowlists read
};

// The checks every candidate passes, whatever found it: its secret starts in the part of the text this
// fragment reports (the chunk that owns it), its lines touch an added line when the fragment has them, and
// neither an inline `keygate:allow` on its lines (when the config honours them) nor an allowlist covers it.
// Returns where it is reported, or nothing when it is not.
std::optional<Placement> accept(const RuleSet& rules, const Rule& rule, const Fragment& f, LineIndex& lines,
                                const Candidate& c) {
  if (c.begin < f.report_from || c.begin >= f.report_to) return std::nullopt;
  const int line0 = lines.line_of(c.begin);
  const int last0 = lines.line_of(c.end > c.begin ? c.end - 1 : c.begin);
  const int line = f.first_line + line0;
  const int last = f.first_line + last0;
  if (f.added_lines != nullptr && !touches_added_line(*f.added_lines, line, last)) return std::nullopt;
  const int context_line0 = lines.line_of(c.context_begin);
  const int context_last0 =
      lines.line_of(c.context_end > c.context_begin ? c.context_end - 1 : c.context_begin);
  const std::size_t line_begin = lines.start_of_line(context_line0);
  const std::string_view line_text = f.text.substr(line_begin, lines.end_of_line(context_last0) - line_begin);
  if (rules.config().inline_allow && lines.inline_allow(line_text)) return std::nullopt;
  if (allowed(rules, rule,
              AllowlistTarget{c.secret, c.match, line_text, f.origin.path, f.origin.commit.get()}))
    return std::nullopt;
  return Placement{line, static_cast<int>(c.begin - lines.start_of_line(line0)) + 1, last, line_begin,
                   line_text};
}

Finding make_finding(const RuleSpec& spec, const Fragment& f, std::string_view secret, const Placement& at) {
  Finding finding;
  finding.rule_id = spec.id;
  finding.description = spec.description;
  finding.kind = f.origin.kind;
  finding.file = f.origin.path;
  finding.line = at.line;
  finding.column = at.column;
  finding.end_line = at.end_line;
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
  bool decoded = false;       // found in decoded text: [begin, end) is the encoded span
  bool scored = false;        // its confidence came from the scorer, which weighed the path already
  bool starts_above = false;  // a generic-* regex match that begins on a line above its secret
};

// The rule whose findings (a URL's user:password) the scorer judges, as it judges the generic detector's.
constexpr std::string_view kUrlCredentialsRule = "url-credentials";

// Scores a candidate (`in` holds its name, value, kind and source; the rest is filled here; `name_begin` is
// npos for a candidate without a name) and adds it
// to `out` at the scorer's confidence (a rule's own `confidence` still wins), the path included: a scored
// finding is not demoted again by demote_paths. Below the model's low threshold a candidate is noise; a
// `widened` shape (a UUID) is reported only when the scorer is sure of it.
void score_and_add(const RuleSet& rules, const RuleSpec& spec, const Fragment& f, const Placement& at_place,
                   ScoreInput& in, std::size_t name_begin, std::size_t value_begin, std::size_t value_end,
                   bool widened, bool generic, std::vector<Found>& out) {
  in.line = at_place.line_text;
  in.path = f.origin.path;
  in.name_col = name_begin != std::string_view::npos && name_begin >= at_place.line_begin
                    ? name_begin - at_place.line_begin
                    : std::string_view::npos;
  in.value_col = value_begin - at_place.line_begin;
  Features features;
  extract_features(in, features);
  const Score score = score_features(features);
  if (dumping_features()) dump_features(f.origin.path, at_place.line, spec.id, features, score.logit);
  if (!score.reported || (widened && score.confidence == Confidence::Low)) return;
  Finding finding = make_finding(spec, f, in.value, at_place);
  finding.confidence = spec.confidence.value_or(score.confidence);
  if (rules.explain()) finding.explanation = explain_score(features);
  out.push_back({std::move(finding), value_begin, value_end, generic});
  out.back().scored = !spec.confidence;
}

// Runs one rule's regex over text[begin, end) (the rest of the text is context for ^, $ and \b).
void scan_rule(const RuleSet& rules, const Rule& rule, const Fragment& f, LineIndex& lines, std::size_t begin,
               std::size_t end, std::vector<Found>& out) {
  const RuleSpec& spec = rule.spec();
  const RegexSearch& search = rule.search();
  const int groups = search.groups();
  // The groups' buffer is the thread's, kept for the next window (scan_rule does not call itself).
  thread_local std::vector<re2::StringPiece> group;
  group.assign(static_cast<std::size_t>(groups) + 1, re2::StringPiece());
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
    const std::string_view secret_view(secret.data(), secret.size());
    if (spec.entropy > 0 && shannon_entropy(secret_view) < spec.entropy) continue;
    if (!validate(rule.validator(), secret_view)) continue;
    const std::optional<Placement> at_place =
        accept(rules, rule, f, lines,
               Candidate{secret_start, secret_end, match_start, match_end, secret_view,
                         std::string_view(match.data(), match.size())});
    if (!at_place) continue;
    if (spec.id == kUrlCredentialsRule && !spec.confidence) {
      // A URL's user:password: as many are documentation and test URLs as live ones, so the scorer judges
      // it by its value, line, path and host (it has no name: the URL's user says little).
      ScoreInput in;
      in.value = secret_view;
      in.kind = NameKind::Password;
      in.source = ScoredSource::UrlUserinfo;
      std::size_t url_begin = match_start;
      while (url_begin < secret_start && !is_alpha(f.text[url_begin])) ++url_begin;
      in.quoted = url_begin > 0 && (f.text[url_begin - 1] == '"' || f.text[url_begin - 1] == '\'' ||
                                    f.text[url_begin - 1] == '`');
      score_and_add(rules, spec, f, *at_place, in, std::string_view::npos, secret_start, secret_end, false,
                    rule.generic(), out);
      continue;
    }
    out.push_back({make_finding(spec, f, secret_view, *at_place), secret_start, secret_end, rule.generic()});
    // gitleaks' generic-api-key may start on an element's line above its value; keygate's multi-line rules
    // tagged generic (a Kubernetes Secret from its `kind:` line) stay shadowed, as one finding is enough.
    out.back().starts_above =
        spec.id.rfind("generic", 0) == 0 &&
        f.text.substr(match_start, secret_start - match_start).find('\n') != std::string_view::npos;
    // A generic regex (a high-entropy value) names a credential without its provider.
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
    const std::string_view secret = f.text.substr(a.value_begin, a.value_end - a.value_begin);
    if (spec.entropy > 0 && shannon_entropy(secret) < spec.entropy) continue;
    // A value never leaves its line (find_assignments); its name may be on an earlier one (Terraform).
    const std::string_view match = f.text.substr(a.name_begin, a.value_end - a.name_begin);
    const std::optional<Placement> at_place =
        accept(rules, rule, f, lines,
               Candidate{a.value_begin, a.value_end, a.value_begin, a.value_end, secret, match});
    if (!at_place) continue;
    ScoreInput in;
    in.name = f.text.substr(a.name_begin, a.name_end - a.name_begin);
    in.value = secret;
    in.quoted = a.quoted;
    in.kind = a.kind;
    in.prior = a.confidence;
    in.widened_by = a.widened_by;
    score_and_add(rules, spec, f, *at_place, in, a.name_begin, a.value_begin, a.value_end, a.widened,
                  rule.generic(), out);
  }
}

// A generic rule's finding is dropped where a specific rule found the same secret (or one that contains
// it): "a high-entropy token" says less than "a Together API key". A generic secret that reaches beyond
// the specific one is kept, since it may be a different, longer credential.
std::vector<Finding> resolve_overlaps(std::vector<Found> found) {
  // The specific findings' spans by begin, with the furthest end so far: "is this generic span inside a
  // specific one" is a binary search, so that the many findings of one long line cost n log n, not n^2.
  // Kept apart by whether they were decoded (two findings in one decoded span share its place; the
  // decoded text's own overlaps were resolved).
  struct Covers {
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // begin, the furthest end up to it
    void add(const Found& f) { spans.emplace_back(f.begin, f.end); }
    void seal() {
      std::sort(spans.begin(), spans.end());
      for (std::size_t i = 1; i < spans.size(); ++i)
        spans[i].second = std::max(spans[i].second, spans[i - 1].second);
    }
    bool covers(const Found& f) const {
      auto it = std::upper_bound(spans.begin(), spans.end(), std::make_pair(f.begin, SIZE_MAX));
      return it != spans.begin() && std::prev(it)->second >= f.end;
    }
  } plain, decoded;
  for (const Found& f : found) {
    if (!f.generic) (f.decoded ? decoded : plain).add(f);
  }
  plain.seal();
  decoded.seal();
  std::vector<Finding> out;
  for (const Found& f : found) {
    // As gitleaks does, a generic-* match that starts on another line than the specific one (an XML
    // element whose value is on the next line) is a finding of its own.
    const bool shadowed =
        f.generic && !f.starts_above && (plain.covers(f) || (!f.decoded && decoded.covers(f)));
    if (!shadowed) out.push_back(f.finding);
  }
  return out;
}

// The findings in the fragment's own text, before overlaps are resolved.
std::vector<Found> run_rules(const RuleSet& rules, const Fragment& fragment, LineIndex& lines) {
  std::vector<Found> found;
  const auto& all = rules.rules();
  auto run = [&](std::size_t rule_index, std::size_t begin, std::size_t end) {
    if (all[rule_index]->path_only()) return;  // see detect_in_path
    // The path first: a rule for rare files is then never compiled for the others.
    if (!all[rule_index]->applies_to(fragment.origin.path)) return;
    const Rule& rule = all[rule_index]->compiled();
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
    // Each rule runs only around its keywords' occurrences, over merged windows. The two lists are the
    // thread's, kept for its next fragment, unless a rule's search runs the detector again (then that
    // inner call has its own).
    struct Lists {
      std::vector<KeywordIndex::Hit> hits;
      std::vector<RuleWindow> windows;
      bool busy = false;
    };
    thread_local Lists kept;
    Lists own;
    Lists& lists = kept.busy ? own : kept;
    struct Release {
      Lists& lists;
      ~Release() {
        lists.busy = false;
        // A text with keywords every few bytes leaves large lists: not kept beyond it.
        if (lists.hits.capacity() > (std::size_t{1} << 16)) std::vector<KeywordIndex::Hit>().swap(lists.hits);
        if (lists.windows.capacity() > (std::size_t{1} << 14)) std::vector<RuleWindow>().swap(lists.windows);
      }
    } release{lists};
    lists.busy = true;
    lists.hits.clear();
    rules.keywords().find_all(fragment.text, lists.hits, &rules);
    rule_windows(fragment.text, lists.hits, rules, lists.windows);
    for (const RuleWindow& w : lists.windows) run(w.rule, w.begin, w.end);
  }
  return found;
}

// The findings in what the fragment's encoded spans decode to (decode.hpp), each placed at its encoded span
// in the original text, whose lines decide inline `keygate:allow`, line allowlists, the added-line filter
// and chunk ownership, exactly as for a plain finding there.
void add_decoded_region(const RuleSet& rules, const Fragment& f, LineIndex& lines, const DecodedText& d,
                        std::size_t plain, std::vector<Found>& found);

// A region at a time (RegionDecoder), so that memory stays bounded whatever the fragment's size. Returns
// false when a decode bound left content undecoded.
bool add_decoded_findings(const RuleSet& rules, const Fragment& f, LineIndex& lines,
                          std::vector<Found>& found) {
  DecodeLimits limits;
  limits.max_depth = rules.max_decode_depth();
  RegionDecoder regions(f.text, limits);
  DecodedText d;
  bool complete = true;
  const std::size_t plain = found.size();
  while (regions.next(d)) {
    complete = complete && !d.cut;
    if (!d.spans.empty()) add_decoded_region(rules, f, lines, d, plain, found);
  }
  return complete;
}

// The findings of one decoded region; found[0, plain) are the plain findings.
void add_decoded_region(const RuleSet& rules, const Fragment& f, LineIndex& lines, const DecodedText& d,
                        std::size_t plain, std::vector<Found>& found) {
  Fragment inner;
  inner.text = d.text;
  inner.origin = f.origin;
  LineIndex inner_lines(d.text);
  std::vector<Found> inner_found = run_rules(rules, inner, inner_lines);
  // Overlaps inside the decoded text first: each finding there then takes its whole encoded span.
  std::vector<Finding> kept = resolve_overlaps(inner_found);
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
      const std::size_t end = place.offset + place.length;
      const bool repeats_plain =
          std::any_of(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(plain), [&](const Found& p) {
            return p.begin >= place.offset && p.end <= end && p.finding.rule_id == x.finding.rule_id &&
                   p.finding.secret == x.finding.secret;
          });
      if (repeats_plain) continue;
      const std::optional<Placement> at_place =
          accept(rules, rule, f, lines,
                 Candidate{place.offset, end, place.offset, end, x.finding.secret, x.finding.secret});
      if (!at_place) continue;
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
      out.scored = x.scored;
      out.finding.line = at_place->line;
      out.finding.column = at_place->column;
      out.finding.end_line = at_place->end_line;
      out.finding.decoded = how;
      out.finding.encoded_length = place.length;
      found.push_back(std::move(out));
    }
  }
}

}  // namespace

std::vector<Finding> detect(const RuleSet& rules, const Fragment& fragment, ScanGaps* gaps) {
  LineIndex lines(fragment.text);
  std::vector<Found> found = run_rules(rules, fragment, lines);
  if (rules.max_decode_depth() > 0 && !add_decoded_findings(rules, fragment, lines, found) && gaps != nullptr)
    gaps->decode_cut = true;
  for (Found& f : found) {
    f.finding.generic = f.generic;
    f.finding.scored = f.scored;
  }
  // Generic findings in tests, examples and docs are less likely live credentials: one level down.
  if (fragment.path_confidence == Fragment::PathConfidence::Judged &&
      path_matches_demote(fragment.origin.path, rules.demote_paths())) {
    for (Found& f : found) {
      if (f.generic && !f.scored) f.finding.confidence = demoted(f.finding.confidence);
    }
  }
  std::vector<Finding> out = resolve_overlaps(std::move(found));
  // A generic value that begins with a provider's prefix (tgp_v1_, ghp_) was not that provider's key, or
  // its rule would have reported it and shadowed this one: a look-alike (the wrong length, a test value, a
  // truncated key). Kept at `low`, where an audit still sees it.
  for (Finding& f : out) {
    if (!f.generic || f.confidence == Confidence::Low ||
        !has_provider_prefix(f.secret, rules.provider_prefixes()))
      continue;
    f.confidence = Confidence::Low;
    if (rules.explain()) f.explanation += "; begins with a provider's key prefix but is not that key: low";
  }
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return out;
}

void adjust_for_path(const RuleSet& rules, Finding& finding) {
  if (finding.generic && !finding.scored && path_matches_demote(finding.file, rules.demote_paths()))
    finding.confidence = demoted(finding.confidence);
}

std::vector<Finding> detect_in_text(const RuleSet& rules, std::string_view text, const Origin& origin,
                                    ScanGaps* gaps) {
  std::vector<Finding> out;
  ChunkPlan plan;
  for (std::size_t at = 0;;) {
    const std::string_view window = text.substr(at, ChunkPlan::kWindow);
    const bool last = at + window.size() == text.size();
    Fragment f;
    f.origin = origin;
    plan.place(f, window, last);
    std::vector<Finding> found = detect(rules, f, gaps);
    plan.make_columns_absolute(found);
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
    if (last) break;
    at += plan.advance(window);
  }
  return out;
}

std::vector<Finding> detect_in_path(const RuleSet& rules, const Origin& origin) {
  const std::string_view path = origin.path;
  std::vector<Finding> out;
  for (std::size_t i : rules.path_only()) {
    if (!rules.rules()[i]->applies_to(path)) continue;
    const Rule& rule = rules.rules()[i]->compiled();
    if (allowed(rules, rule, AllowlistTarget{path, path, path, path, origin.commit.get()})) continue;
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
