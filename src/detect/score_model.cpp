// This file implements the generic detector's model (see score_features.hpp): boosted regression trees
// over a candidate's features, trained offline (bench/creddata/train_scorer.py) and compiled in, the
// confidence their score earns, and the explanation of that score.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "detect/score_features.hpp"

namespace keygate {
namespace {

// One node of a tree. A split sends a candidate left when f[feature] <= threshold; a leaf (feature -1)
// adds its value to the score. A split's value is what a leaf in its place would have added: the step
// from a node's value to its child's is the part of the score --explain gives the split's feature.
struct ScoreNode {
  std::int16_t feature;
  float threshold;
  std::uint32_t left;
  std::uint32_t right;
  float value;
};

// The generated model: kScoreBase (the log-odds before any tree), kScoreNodes, kScoreRoots (each tree's
// first node) and the logit thresholds kScoreLow, kScoreMedium, kScoreHigh.
#include "detect/score_weights.inc"

constexpr std::size_t kTrees = sizeof kScoreRoots / sizeof kScoreRoots[0];
constexpr std::size_t kNodes = sizeof kScoreNodes / sizeof kScoreNodes[0];

// Every split names a feature and every child is a node of the table: checked once, when compiled.
constexpr bool well_formed() {
  for (const ScoreNode& n : kScoreNodes) {
    if (n.feature >= static_cast<int>(kScoreFeatures)) return false;
    if (n.feature >= 0 && (n.left >= kNodes || n.right >= kNodes)) return false;
  }
  for (std::uint32_t r : kScoreRoots) {
    if (r >= kNodes) return false;
  }
  return true;
}
static_assert(well_formed(), "score_weights.inc: a split names no feature or a child outside the table");

std::uint32_t child(const ScoreNode& n, const Features& f) {
  return f[static_cast<std::size_t>(n.feature)] <= n.threshold ? n.left : n.right;
}

Confidence level_of(double z) {
  return z >= kScoreHigh ? Confidence::High : z >= kScoreMedium ? Confidence::Medium : Confidence::Low;
}

}  // namespace

Score score_features(const Features& f) {
  double z = kScoreBase;
  for (std::uint32_t root : kScoreRoots) {
    std::uint32_t n = root;
    while (kScoreNodes[n].feature >= 0) n = child(kScoreNodes[n], f);
    z += kScoreNodes[n].value;
  }
  Score s;
  s.logit = z;
  s.reported = z >= kScoreLow;
  s.confidence = level_of(z);
  return s;
}

std::string explain_score(const Features& f) {
  // Each split's feature is given the step its branch made (the child's value minus the node's); the
  // roots' values and kScoreBase are the score every candidate starts from.
  std::vector<double> part(kScoreFeatures, 0.0);
  double z = kScoreBase;
  for (std::uint32_t root : kScoreRoots) {
    std::uint32_t n = root;
    z += kScoreNodes[n].value;
    while (kScoreNodes[n].feature >= 0) {
      const std::uint32_t next = child(kScoreNodes[n], f);
      const double step = kScoreNodes[next].value - kScoreNodes[n].value;
      part[static_cast<std::size_t>(kScoreNodes[n].feature)] += step;
      z += step;
      n = next;
    }
  }
  std::vector<std::pair<double, std::size_t>> parts;
  for (std::size_t i = 0; i < kScoreFeatures; ++i) {
    if (std::fabs(part[i]) >= 0.005) parts.emplace_back(part[i], i);
  }
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) {
    return std::fabs(a.first) != std::fabs(b.first) ? std::fabs(a.first) > std::fabs(b.first)
                                                    : a.second < b.second;
  });
  std::string out =
      fmt::format("score {:.2f} (medium at {:.2f}, high at {:.2f})", z, kScoreMedium, kScoreHigh);
  const auto& names = feature_names();
  for (std::size_t k = 0; k < parts.size() && k < 4; ++k) {
    // A feature's step can come from its absence ("not path:test-dir"): say which.
    const char* sign = f[parts[k].second] != 0 ? "" : "no ";
    out += fmt::format("{} {:+.2f} {}{}", k == 0 ? ":" : ",", parts[k].first, sign, names[parts[k].second]);
  }
  return out;
}

}  // namespace keygate
