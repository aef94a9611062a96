// This file implements the generic detector's model (see score_features.hpp): the mean of a logistic
// model and boosted regression trees over a candidate's features, trained offline
// (bench/creddata/train_scorer.py) and compiled in, the confidence the score earns, and its explanation.
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

// The generated model: kLinearBias and kLinearWeights (the logistic model), kTreeBase (the trees'
// log-odds before any tree), kTreeNodes, kTreeRoots (each tree's first node) and the logit thresholds
// kScoreLow, kScoreMedium, kScoreHigh of the mean of the two.
#include "detect/score_weights.inc"

constexpr std::size_t kNodes = sizeof kTreeNodes / sizeof kTreeNodes[0];

// Every split names a feature and every child is a later node of the table, so a walk from a root ends
// at a leaf: checked once, when compiled.
constexpr bool well_formed() {
  for (std::size_t i = 0; i < kNodes; ++i) {
    const ScoreNode& n = kTreeNodes[i];
    if (n.feature < -1 || n.feature >= static_cast<int>(kScoreFeatures)) return false;
    if (n.feature >= 0 && (n.left <= i || n.right <= i || n.left >= kNodes || n.right >= kNodes))
      return false;
  }
  for (std::uint32_t r : kTreeRoots) {
    if (r >= kNodes) return false;
  }
  return true;
}
static_assert(well_formed(),
              "score_weights.inc: a split names no feature, or a child that is not a later node");

std::uint32_t child(const ScoreNode& n, const Features& f) {
  return f[static_cast<std::size_t>(n.feature)] <= n.threshold ? n.left : n.right;
}

Confidence level_of(double z) {
  return z >= kScoreHigh ? Confidence::High : z >= kScoreMedium ? Confidence::Medium : Confidence::Low;
}

}  // namespace

Score score_features(const Features& f) {
  double linear = kLinearBias;
  for (std::size_t i = 0; i < kScoreFeatures; ++i) linear += kLinearWeights[i] * f[i];
  double trees = kTreeBase;
  for (std::uint32_t root : kTreeRoots) {
    std::uint32_t n = root;
    while (kTreeNodes[n].feature >= 0) n = child(kTreeNodes[n], f);
    trees += kTreeNodes[n].value;
  }
  Score s;
  s.logit = 0.5 * linear + 0.5 * trees;
  s.reported = s.logit >= kScoreLow;
  s.confidence = level_of(s.logit);
  return s;
}

std::string explain_score(const Features& f) {
  // A feature's part is half its linear weight (when present) plus half the steps its splits made in
  // the trees (a child's value minus its node's); the biases and the roots' values are where every
  // candidate starts. The parts and that start add up to the score.
  std::vector<double> part(kScoreFeatures, 0.0);
  double z = 0.5 * (kLinearBias + kTreeBase);
  for (std::size_t i = 0; i < kScoreFeatures; ++i) {
    part[i] = 0.5 * kLinearWeights[i] * f[i];
    z += part[i];
  }
  for (std::uint32_t root : kTreeRoots) {
    std::uint32_t n = root;
    z += 0.5 * kTreeNodes[n].value;
    while (kTreeNodes[n].feature >= 0) {
      const std::uint32_t next = child(kTreeNodes[n], f);
      const double step = 0.5 * (kTreeNodes[next].value - kTreeNodes[n].value);
      part[static_cast<std::size_t>(kTreeNodes[n].feature)] += step;
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
    // A feature's step can come from its absence ("no path:test-dir"): say which.
    const char* sign = f[parts[k].second] != 0 ? "" : "no ";
    out += fmt::format("{} {:+.2f} {}{}", k == 0 ? ":" : ",", parts[k].first, sign, names[parts[k].second]);
  }
  return out;
}

}  // namespace keygate
