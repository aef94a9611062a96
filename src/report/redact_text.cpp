// This file implements the redaction of free text (see redact_text.hpp): reports call it on every text field
// that is not itself a finding's secret.
#include "report/redact_text.hpp"

#include <algorithm>
#include <map>

#include "detect/matcher.hpp"
#include "util/ascii.hpp"

namespace keygate {

std::string redact_each(std::string_view text, std::vector<std::string> secrets) {
  // Longest first: a secret that contains another is replaced whole.
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  secrets.erase(std::unique(secrets.begin(), secrets.end()), secrets.end());
  std::string out(text);
  for (const std::string& s : secrets) {
    if (s.size() < 8) continue;  // too short to be told from ordinary words; no rule reports one this short
    const std::string shown = redacted(s);
    for (std::size_t at = out.find(s); at != std::string::npos; at = out.find(s, at + shown.size())) {
      out.replace(at, s.size(), shown);
    }
  }
  return out;
}

std::string redact_secrets_in(std::string_view text, const RuleSet& rules,
                              const std::vector<std::string>& known) {
  if (text.empty()) return {};
  std::vector<std::string> secrets = known;
  for (const Finding& f : detect_in_text(rules, text, Origin{})) secrets.push_back(f.secret);
  return redact_each(text, std::move(secrets));
}

void redact_commit_texts(std::vector<Finding>& findings, const RuleSet& rules) {
  std::vector<std::string> known;
  for (const Finding& f : findings) known.push_back(f.secret);
  std::map<const CommitInfo*, std::shared_ptr<const CommitInfo>> redacted;
  for (Finding& f : findings) {
    if (!f.commit) continue;
    auto [it, added] = redacted.try_emplace(f.commit.get());
    if (added) {
      auto copy = std::make_shared<CommitInfo>(*f.commit);
      copy->summary = redact_secrets_in(copy->summary, rules, known);
      copy->author = redact_secrets_in(copy->author, rules, known);
      copy->email = redact_secrets_in(copy->email, rules, known);
      it->second = std::move(copy);
    }
    f.commit = it->second;
  }
}

std::string redact_key_shaped(std::string_view text) {
  auto in_alphabet = [](char c) {
    return is_alnum(c) || c == '_' || c == '-' || c == '+' || c == '/' || c == '=';
  };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t end = i;
    while (end < text.size() && in_alphabet(text[end])) ++end;
    if (end == i) {
      out += text[i++];
      continue;
    }
    const std::string_view run = text.substr(i, end - i);
    const bool letters = std::any_of(run.begin(), run.end(), is_alpha);
    const bool digits = std::any_of(run.begin(), run.end(), is_digit);
    out += run.size() >= 20 && letters && digits ? redacted(run) : std::string(run);
    i = end;
  }
  return out;
}

std::string redact_regex_errors(std::string_view message) {
  std::string out;
  for (std::size_t start = 0; start < message.size();) {
    std::size_t end = message.find('\n', start);
    end = end == std::string_view::npos ? message.size() : end + 1;
    const std::string_view line = message.substr(start, end - start);
    const std::size_t echo = line.find("regex: ");
    if (echo == std::string_view::npos) {
      out += line;
    } else {
      out += line.substr(0, echo + 7);
      out += redact_key_shaped(line.substr(echo + 7));
    }
    start = end;
  }
  return out;
}

}  // namespace keygate
