// Fuzz target: any text read as every peer format (gitleaks JSON and .gitleaksignore, TruffleHog JSON,
// detect-secrets baseline, SARIF), and sniffed, must give findings or an Error, never a crash, a hang or
// a leak; the findings then go through the matching with keygate's own.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "interop/baseline_import.hpp"
#include "interop/peer_reports.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keygate::interop;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)sniff(text, ".gitleaksignore");
  (void)sniff(text, "report.json");
  for (const PeerFormat format :
       {PeerFormat::GitleaksJson, PeerFormat::GitleaksIgnore, PeerFormat::TrufflehogJson,
        PeerFormat::DetectSecretsBaseline, PeerFormat::Sarif}) {
    try {
      const std::vector<PeerFinding> found = read_peer_report(text, format, "fuzz");
      keygate::Finding ours;
      ours.file = found.empty() ? "" : found.front().file;
      ours.line = 1;
      ours.secret = text.substr(0, 8);
      (void)map_to_keygate(found, {ours});
    } catch (const keygate::Error&) {
    }
  }
  return 0;
}
