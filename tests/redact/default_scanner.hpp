// This file gives the redact tests one Scanner over the default rules (what `keygate redact` runs with no
// config), shared by every test of the binary.
#pragma once

#include "config/config.hpp"
#include "core/scanner.hpp"

namespace keygate::test {

inline Scanner& default_scanner() {
  static const RuleSet rules(default_config());
  static FindingCollector unused;
  static Scanner scanner(rules, ScanSettings{}, unused);
  return scanner;
}

}  // namespace keygate::test
