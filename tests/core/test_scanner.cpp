// Tests for core/scanner.cpp, the meeting point of sources, detector and sink: what scan() and detect()
// do with findings, warnings and notes, chain_drops(), the counters, and many threads at once.
#include <catch2/catch.hpp>
#include <thread>

#include "config/config.hpp"
#include "core/scanner.hpp"
#include "filter/min_confidence.hpp"
#include "rules/rules.hpp"
#include "support/repo.hpp"
#include "support/stderr_capture.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

const RuleSet& default_rules() {
  static const RuleSet rules(default_config());
  return rules;
}

Fragment fragment(std::string_view text, const std::string& path) {
  Fragment f;
  f.text = text;
  f.origin.path = path;
  return f;
}

// A text holding a Together key on its second line.
std::string text_with_key(std::uint64_t seed) {
  return "x = 1\nTOGETHER_API_KEY=" + fake_together_key(seed) + "\n";
}

// What a test compares of findings: place, rule and secret, sorted.
std::vector<std::string> summary(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings)
    out.push_back(f.file + ":" + std::to_string(f.line) + " " + f.rule_id + " " + f.secret);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("Scanner::scan passes the detector's findings to the sink") {
  FindingCollector sink;
  Scanner scanner(default_rules(), ScanSettings{}, sink);
  const std::string text = text_with_key(2230);
  scanner.scan(fragment(text, "a.env"));
  const std::vector<Finding> found = sink.take();
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "together-api-key");
  CHECK(found[0].file == "a.env");
  CHECK(found[0].line == 2);
  CHECK(found[0].secret == fake_together_key(2230));
  CHECK_FALSE(scanner.incomplete());
}

TEST_CASE("Scanner::detect returns the findings and passes nothing to the sink; add() passes them later") {
  FindingCollector sink;
  Scanner scanner(default_rules(), ScanSettings{}, sink);
  const std::string text = text_with_key(2231);
  std::vector<Finding> held = scanner.detect(fragment(text, "b.env"));
  REQUIRE(held.size() == 1);
  CHECK(sink.take().empty());
  CHECK(scanner.detect_text(text, fragment(text, "b.env").origin).size() == 1);
  CHECK(sink.take().empty());
  scanner.add(std::move(held));
  CHECK(sink.take().size() == 1);
}

TEST_CASE("Scanner::warn makes the run incomplete and says so on stderr, escaped") {
  FindingCollector sink;
  Scanner scanner(default_rules(), ScanSettings{}, sink);
  CHECK_FALSE(scanner.incomplete());
  StderrCapture capture;
  scanner.warn("bad\x1b[2Jname: cannot read");
  const std::string err = capture.text();
  CHECK(scanner.incomplete());
  CHECK(err == "keygate: warning: bad\\x1b[2Jname: cannot read\n");
}

TEST_CASE("Scanner::note prints only when verbose") {
  FindingCollector sink;
  Scanner quiet(default_rules(), ScanSettings{}, sink);
  ScanSettings verbose_settings;
  verbose_settings.verbose = true;
  Scanner verbose(default_rules(), verbose_settings, sink);
  StderrCapture capture;
  quiet.note("q.bin", "skipped: binary");
  verbose.note("v.bin", "skipped: binary");
  const std::string err = capture.text();
  CHECK(err == "keygate: v.bin: skipped: binary\n");
  CHECK_FALSE(quiet.incomplete());  // a note is not a warning
  CHECK_FALSE(verbose.incomplete());
}

TEST_CASE("Scanner::chain_drops asks the sink chain: a confidence filter at high drops a low finding") {
  FindingCollector collector;
  ConfidenceFilter high(collector, Confidence::High);
  Scanner filtered(default_rules(), ScanSettings{}, high);
  Scanner unfiltered(default_rules(), ScanSettings{}, collector);
  Finding low;
  low.rule_id = "generic-password";
  low.confidence = Confidence::Low;
  Finding sure = low;
  sure.confidence = Confidence::High;
  CHECK(filtered.chain_drops(low));
  CHECK_FALSE(filtered.chain_drops(sure));
  CHECK_FALSE(unfiltered.chain_drops(low));  // a collector keeps everything
  // And what chain_drops says is what the chain does.
  filtered.add({low, sure});
  const std::vector<Finding> kept = collector.take();
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].confidence == Confidence::High);
}

TEST_CASE("Scanner counts the bytes and fragments the detector ran over, not file names") {
  FindingCollector sink;
  Scanner scanner(default_rules(), ScanSettings{}, sink);
  CHECK(scanner.bytes_scanned() == 0);
  CHECK(scanner.fragments_scanned() == 0);
  const std::string one = "first fragment\n", two = text_with_key(2232);
  scanner.scan(fragment(one, "1.txt"));
  scanner.detect(fragment(two, "2.txt"));
  scanner.detect_text(one, Origin{});
  Origin name;
  name.path = "id_rsa";
  scanner.scan_name(name);
  CHECK(scanner.bytes_scanned() == 2 * one.size() + two.size());
  CHECK(scanner.fragments_scanned() == 3);
}

TEST_CASE("Scanner records the datasets noted") {
  FindingCollector sink;
  Scanner scanner(default_rules(), ScanSettings{}, sink);
  CHECK(scanner.datasets().empty());
  scanner.note_dataset("a.jsonl");
  scanner.note_dataset("b.json");
  CHECK(scanner.datasets() == std::vector<std::string>{"a.jsonl", "b.json"});
}

TEST_CASE("Scanner: several threads scanning at once give the same findings and counts as one") {
  constexpr int kFragments = 64;
  std::vector<std::string> texts;
  for (int i = 0; i < kFragments; ++i) {
    // Every other fragment holds a key; the rest are clean text of varied length.
    texts.push_back(i % 2 == 0 ? random_string(2240 + i, 200 + i, "abc def\n") + text_with_key(2240 + i)
                               : random_string(2240 + i, 500, "ghij kl\n"));
  }
  const auto path = [](int i) { return "f" + std::to_string(i) + ".txt"; };

  FindingCollector one_sink;
  Scanner one(default_rules(), ScanSettings{}, one_sink);
  for (int i = 0; i < kFragments; ++i) one.scan(fragment(texts[i], path(i)));

  FindingCollector many_sink;
  Scanner many(default_rules(), ScanSettings{}, many_sink);
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kFragments; i += kThreads) many.scan(fragment(texts[i], path(i)));
    });
  }
  for (std::thread& t : threads) t.join();

  const std::vector<std::string> expected = summary(one_sink.take());
  CHECK(expected.size() == kFragments / 2);
  CHECK(summary(many_sink.take()) == expected);
  CHECK(many.bytes_scanned() == one.bytes_scanned());
  CHECK(many.fragments_scanned() == kFragments);
}
