// This file implements the generic detector's scorer: after find_assignments (generic.hpp) accepted a
// "name, operator, value" candidate, the matcher asks score_features for its confidence: the mean of a
// logistic model and boosted regression trees (score_model.cpp) over features of the name, the value, the
// line and the path, trained offline on the CredData development split (bench/creddata/train_scorer.py);
// the weights and trees are compiled in (score_weights.inc).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/confidence.hpp"
#include "detect/generic.hpp"

namespace keygate {

// What found a scored candidate.
enum class ScoredSource { Assignment, UrlUserinfo };

// What the scorer sees of one candidate. `line` is the whole line the value is on (no line break);
// name_col and value_col are offsets into it (name_col may be past the line start of a Terraform block's
// name on an earlier line: then it is npos). `path` is the file's path as scanned.
struct ScoreInput {
  std::string_view name;
  std::string_view value;
  std::string_view line;
  std::string_view path;
  std::size_t name_col = std::string_view::npos;
  std::size_t value_col = 0;
  bool quoted = false;
  NameKind kind = NameKind::Password;
  Confidence prior = Confidence::Medium;  // the detector's own guess (Assignment::confidence)
  // What found the candidate: the assignment detector, or the url-credentials rule (then `name` is the
  // URL's user, possibly empty, and `value` its password).
  ScoredSource source = ScoredSource::Assignment;
  std::string_view widened_by;  // the value check a widened value passed (Assignment::widened_by), or empty
};

// The features, in the order of the weights. Each is 0 or 1 unless its name ends in "#" (a number in
// [0, 1]). feature_names()[i] names feature i; the training script reads these names from the dump.
constexpr std::size_t kScoreFeatures = 134;
const std::array<const char*, kScoreFeatures>& feature_names();

using Features = std::array<float, kScoreFeatures>;

// Fills `out` with the features of `in`. Linear in the lengths of the line, the name and the path.
void extract_features(const ScoreInput& in, Features& out);

// The scorer's verdict on a candidate.
struct Score {
  double logit = 0;  // log-odds that the line holds a credential
  // The level it earns; `reported` is false below the model's low threshold.
  Confidence confidence = Confidence::Low;
  bool reported = true;
};

// The model's verdict on the features `f` (score_model.cpp).
Score score_features(const Features& f);

// The score, the thresholds and the four features that moved it most, each with its part of the score (half
// its linear weight plus half its trees' steps; "no X" when the candidate lacks X), e.g.
// "score 4.33 (medium at 0.97, high at 1.96): +0.86 name:kind-password, +0.84 value:has-digit, ...".
// The parts of all features and the model's starting point add up to the score.
std::string explain_score(const Features& f);

// Debugging and training: when the environment names a file in KEYGATE_DUMP_FEATURES, every scored
// candidate is appended to it as one line "path<TAB>line<TAB>rule<TAB>logit<TAB>i:v i:v ..." (non-zero
// features only), the first line of the file naming the features. Thread-safe; silent when unset.
bool dumping_features();
void dump_features(std::string_view path, int line, std::string_view rule, const Features& f, double logit);

}  // namespace keygate
