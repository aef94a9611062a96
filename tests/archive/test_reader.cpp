// Tests for archive/reader.cpp: entries of containers are scanned and placed outer!inner, nested ones to
// the depth limit; bombs, damage and hostile entries are bounded and make the scan incomplete or noted.
#include <catch2/catch.hpp>

#include "archive/containers.hpp"
#include "archive/reader.hpp"
#include "config/config.hpp"
#include "support/repo.hpp"

using namespace keygate;
using namespace keygate::test;

namespace {

// Reads one container found at `name`: its findings, and whether the Scanner was warned (incomplete).
std::pair<std::vector<Finding>, bool> read(const std::string& bytes, int depth = 4,
                                           const std::string& name = "release.zip") {
  static const RuleSet rules(default_config());
  FindingCollector sink;
  ScanSettings settings;
  settings.max_archive_depth = depth;
  Scanner scanner(rules, settings, sink);
  Origin outer;
  outer.path = name;
  std::vector<Finding> found = archive::read_container(bytes, outer, scanner);
  return {std::move(found), scanner.incomplete()};
}

}  // namespace

TEST_CASE("archive: a key in a zip entry is placed at the zip and the entry's path and line") {
  const std::string key = fake_together_key(2501);
  const auto [findings, incomplete] =
      read(make_zip({{"README", "nothing\n"}, {"app/.env", "A=1\nTOGETHER_API_KEY=" + key + "\n"}}));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].file == "release.zip");
  CHECK(findings[0].inner == std::vector<std::string>{"app/.env"});
  CHECK(findings[0].line == 2);
  CHECK(findings[0].secret == key);
  CHECK(full_path(findings[0]) == "release.zip!app/.env");
  CHECK_FALSE(incomplete);
}

TEST_CASE("archive: tar.gz, and a zip in a tar in a gzip, each level named") {
  const std::string key = fake_together_key(2502);
  const std::string inner_zip = make_zip({{"conf/key.txt", key + "\n"}});
  const auto [findings, incomplete] =
      read(make_gzip(make_tar({{"backup/app.jar", inner_zip}})), 4, "b.tar.gz");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].inner == std::vector<std::string>{"backup/app.jar", "conf/key.txt"});
  CHECK_FALSE(incomplete);
}

TEST_CASE("archive: a single compressed file is named after the file without its suffix") {
  const std::string key = fake_together_key(2503);
  const auto [findings, incomplete] = read(make_gzip("log line\n" + key + "\n"), 4, "logs/app.log.gz");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].inner == std::vector<std::string>{"app.log"});
  CHECK(findings[0].line == 2);
}

TEST_CASE("archive: nesting past --max-archive-depth is not opened and the scan is incomplete") {
  const std::string key = fake_together_key(2504);
  std::string z = make_zip({{"k", key + "\n"}});
  for (int i = 0; i < 5; ++i) z = make_zip({{"level" + std::to_string(i) + ".zip", z}});
  const auto [findings, incomplete] = read(z, 4);
  CHECK(findings.empty());
  CHECK(incomplete);
  const auto [deep_findings, deep_incomplete] = read(z, 6);
  CHECK(deep_findings.size() == 1);
  CHECK_FALSE(deep_incomplete);
}

TEST_CASE("archive: a truncated zip and a corrupt gzip make the scan incomplete, never fail") {
  const std::string zip = make_zip({{"a.txt", std::string(5000, 'a')}, {"b.txt", "b"}});
  CHECK(read(zip.substr(0, zip.size() / 2)).second);
  std::string gz = make_gzip(std::string(100000, 'x') + "y");
  gz.resize(gz.size() - 20);
  CHECK(read(gz, 4, "x.gz").second);
  CHECK(read("PK\x03\x04garbage").second);
}

TEST_CASE("archive: a decompression bomb stops at the ratio limit") {
  const std::string bomb = make_gzip(std::string(200u << 20, 'a'));  // 200 MB of one byte: about 200 KB
  const auto [findings, incomplete] = read(bomb, 4, "bomb.gz");
  CHECK(incomplete);
  CHECK(findings.empty());
}

TEST_CASE("archive: zip-slip and absolute entry paths are still scanned") {
  const std::string key = fake_together_key(2505);
  const auto [findings, incomplete] = read(make_zip({{"../../etc/cron.d/x", key + "\n"}}));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].inner == std::vector<std::string>{"../../etc/cron.d/x"});
}

TEST_CASE("archive: a docx's key split across runs is found on its paragraph's line") {
  const std::string key = fake_together_key(2506);
  const std::string xml = "<w:document><w:body><w:p><w:r><w:t>runbook</w:t></w:r></w:p><w:p><w:r><w:t>" +
                          key.substr(0, 10) + "</w:t></w:r><w:r><w:t>" + key.substr(10) +
                          "</w:t></w:r></w:p></w:body></w:document>";
  const auto [findings, incomplete] =
      read(make_zip({{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", xml}}), 4, "a.docx");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].inner == std::vector<std::string>{"word/document.xml"});
  CHECK(findings[0].line == 2);
  CHECK(findings[0].secret == key);
}

TEST_CASE("archive: depth 0 opens nothing") {
  CHECK_FALSE(archive::is_container(make_zip({{"a", "b"}}), 0));
  CHECK(archive::is_container(make_zip({{"a", "b"}}), 1));
  CHECK_FALSE(archive::is_container("plain text", 4));
}

TEST_CASE("archive: the config's [archive] table sets the limits; --max-archive-depth wins over max_depth") {
  Config config =
      parse_config("[archive]\nmax_depth = 2\nmax_entries = 1\nunreadable = \"pass\"\n", "k.toml");
  const ScanSettings from_config = archive::with_archive_config(ScanSettings{}, std::nullopt, config);
  CHECK(from_config.max_archive_depth == 2);
  CHECK(archive::with_archive_config(ScanSettings{}, 0, config).max_archive_depth == 0);
  CHECK(archive::with_archive_config(ScanSettings{}, std::nullopt, default_config()).max_archive_depth == 4);
  const archive::Limits limits = archive::limits_for(from_config, config);
  CHECK(limits.max_entries == 1u);
  CHECK(limits.max_ratio == kDefaultArchiveRatio);
  CHECK(limits.unreadable == UnreadableArchive::Pass);
  // unreadable = "pass": a truncated zip is said but the scan is not incomplete; an entry limit still is.
  const RuleSet rules(std::make_shared<const Config>(merge_configs(default_config(), config)));
  FindingCollector sink;
  Scanner scanner(rules, from_config, sink);
  Origin outer;
  outer.path = "cut.zip";
  const std::string zip = make_zip({{"a.txt", std::string(3000, 'a')}});
  (void)archive::read_container(zip.substr(0, zip.size() / 2), outer, scanner);
  CHECK_FALSE(scanner.incomplete());
  (void)archive::read_container(make_zip({{"a.txt", "a"}, {"b.txt", "b"}}), outer, scanner);
  CHECK(scanner.incomplete());
}
