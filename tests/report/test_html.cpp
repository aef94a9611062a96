// Tests for the HTML reporter (issue #28): the data block cannot be broken out of, dates and fingerprints
// are stored compactly and read back, the CSP allows exactly the page's own script and style, and secrets
// are redacted as in every other format.
#include <catch2/catch.hpp>
#include <sstream>

#include "report/html.hpp"
#include "report/html_data.hpp"
#include "report/sample_findings.hpp"

using namespace keygate;

namespace {

std::string render(const std::vector<Finding>& findings, SourceKind source = SourceKind::Commit,
                   Secrets secrets = Secrets::Redacted) {
  ReportContext context;
  context.source = source;
  context.secrets = secrets;
  context.version = "0.0.0-test";
  return test::capture_output([&](std::FILE* out) { write_html_report(out, findings, context); });
}

// The text between the data block's tags.
std::string data_block(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"keygate-data\">";
  const std::size_t begin = page.find(open) + open.size();
  return page.substr(begin, page.find("</script>", begin) - begin);
}

}  // namespace

TEST_CASE("html: hostile strings cannot leave the data block", "[html]") {
  CHECK(script_safe(R"({"a":"</script><!--<img src=x onerror=alert(1)>&amp;"})") ==
        R"({"a":"\u003c/script\u003e\u003c!--\u003cimg src=x onerror=alert(1)\u003e\u0026amp;"})");
  CHECK(script_safe("\"\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xa6\"") == "\"\\u2028\\u2029\xe2\x80\xa6\"");

  std::vector<Finding> findings = test::sample_findings();
  findings[0].file = "</script><script>alert(1)</script><!--\xe2\x80\xa8.py";
  const std::string page = render(findings);
  const std::string data = data_block(page);
  CHECK(data.find('<') == std::string::npos);
  CHECK(data.find('>') == std::string::npos);
  CHECK(data.find("\xe2\x80\xa8") == std::string::npos);
  CHECK(data.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)") != std::string::npos);
  // Exactly three scripts: the data, the page's own, and nothing else a path could have opened.
  std::size_t scripts = 0;
  for (std::size_t at = page.find("<script"); at != std::string::npos; at = page.find("<script", at + 1))
    ++scripts;
  CHECK(scripts == 2);
}

TEST_CASE("html: the page forbids every load but its own inline script and style", "[html]") {
  const std::string page = render(test::sample_findings());
  const std::size_t csp = page.find("http-equiv=\"Content-Security-Policy\"");
  REQUIRE(csp != std::string::npos);
  CHECK(csp < page.find("<style>"));
  CHECK(page.find("default-src 'none'; script-src 'sha256-") != std::string::npos);
  CHECK(page.find("style-src 'sha256-") != std::string::npos);
  // The data may name addresses as text (an incident's advice names the provider's key page); the page
  // around it loads none.
  std::string markup = page;
  const std::string data = data_block(page);
  markup.erase(markup.find(data), data.size());
  for (const char* remote : {"https://", "//fonts", "src=\"", "href=\"", "@import", "url("})
    CHECK(markup.find(remote) == std::string::npos);
  // The one http:// is SVG's namespace name, which is never fetched.
  const std::size_t http = page.find("http://");
  CHECK(page.substr(http, 26) == "http://www.w3.org/2000/svg");
  CHECK(page.find("http://", http + 1) == std::string::npos);
}

TEST_CASE("html: secrets are redacted unless --show-secrets", "[html]") {
  const std::vector<Finding> findings = test::sample_findings();
  const std::string page = render(findings);
  CHECK(page.find(findings[0].secret) == std::string::npos);
  CHECK(page.find("SAMPLE\\n-----END") == std::string::npos);
  CHECK(page.find(redacted(findings[0].secret)) != std::string::npos);
  CHECK(render(findings, SourceKind::Commit, Secrets::Shown).find(findings[0].secret) != std::string::npos);
}

TEST_CASE("html: places are stored compactly", "[html]") {
  HtmlData data("keygate test", "2026-12-07T14:00:00Z", "audit");
  data.add_repository("org/repo", "ok", "", 12, 3456);
  HtmlData::Incident incident;
  incident.id = "ab";
  incident.rule = "r";
  incident.confidence = Confidence::Medium;
  incident.verification = "unknown: timeout";
  incident.triage = "revoked";
  data.begin_incident(incident);
  HtmlData::Place place;
  place.repository = "org/repo";
  place.path = "a.txt";
  place.date = "2024-01-02T03:04:05+01:00";
  place.fingerprint = "r:a.txt:0123456789abcdef";
  data.add_place(place);
  place.path = "b\\x01.txt";  // the path the page shows is not the fingerprint's: kept whole
  place.fingerprint = "r:b\\\\x01.txt:0123456789abcdef";
  const std::string long_line(1000, 'x');  // Place holds views: the text must outlive add_place
  place.context = long_line;
  place.column = 500;
  data.add_place(place);
  const std::string json = data.json();
  CHECK(json.find("\"fp\":[\"0123456789abcdef\",\"r:b") != std::string::npos);
  CHECK(json.find("\"date\":[1704161045,1704161045]") != std::string::npos);
  CHECK(json.find("\"conf\":\"m\",\"ver\":\"u\",\"tri\":\"r\"") != std::string::npos);
  CHECK(json.find(std::string(HtmlData::kContextBytes + 1, 'x')) == std::string::npos);
  CHECK(json.find("\"name\":[0]") != std::string::npos);  // "org/repo", interned once
}

TEST_CASE("html: ISO-8601 dates", "[html]") {
  CHECK(iso_to_unix("1970-01-02T00:00:00Z") == 86400);
  CHECK(iso_to_unix("1970-01-02T01:00:00+01:00") == 86400);
  CHECK(iso_to_unix("1970-01-01T23:00:00-01:00") == 86400);
  CHECK(iso_to_unix("1970-01-02T00:00:00.123Z") == 86400);
  CHECK(iso_to_unix("") == 0);
  CHECK(iso_to_unix("yesterday") == 0);
}

TEST_CASE("html: an audit's incidents, repositories and marks reach the page", "[html]") {
  Incidents data;
  data.tool = "keygate test";
  data.generated = "2026-12-07T14:00:00Z";
  RepositoryResult failed;
  failed.name = "org/broken";
  failed.status = RepositoryStatus::Failed;
  failed.error = "clone failed";
  data.repositories = {failed};
  Incident incident;
  incident.id = std::string(64, 'a');
  incident.rule = "together-api-key";
  incident.confidence = "low";
  incident.verification = "live";
  incident.identity = {{"account", "ops@example.invalid"}};
  incident.redacted =
      "tgp_v1_\xe2\x80\xa6"
      "Ab3d";
  incident.triage = "accepted";
  Place place;
  place.repository = "org/app";
  place.path = "a.py";
  place.fingerprint = "together-api-key:a.py:0123456789abcdef";
  incident.places = {place};
  data.incidents = {incident};
  std::ostringstream out;
  write_html(out, data, "merge");
  const std::string json = data_block(out.str());
  CHECK(json.find("\"kind\":\"merge\"") != std::string::npos);
  CHECK(json.find("\"conf\":\"l\",\"ver\":\"l\",\"tri\":\"a\"") != std::string::npos);
  CHECK(json.find("\"account: ops@example.invalid\"") != std::string::npos);
  CHECK(json.find("\"failed\"") != std::string::npos);
  CHECK(json.find("\"clone failed\"") != std::string::npos);
  CHECK(json.find("\"id\":[\"" + std::string(64, 'a') + "\"]") != std::string::npos);
}
