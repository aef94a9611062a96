// Tests for finding.cpp: redaction never shows a whole secret; fingerprints are stable.
#include <catch2/catch.hpp>

#include "core/finding.hpp"
#include "support/repo.hpp"

using namespace keygate;

TEST_CASE("a Together key is redacted to its prefix and last four characters") {
  const std::string k = test::fake_together_key(1);
  CHECK(redacted(k) == "tgp_v1_\xe2\x80\xa6" + k.substr(k.size() - 4));
}

TEST_CASE("redaction hides most of any secret, whatever its length") {
  for (std::size_t n = 0; n < 80; ++n) {
    const std::string s = test::random_string(n, n, "abcdefghijklmnopqrstuvwxyz0123456789");
    const std::string r = redacted(s);
    const std::size_t shown = r.size() - 3;  // minus the ellipsis
    INFO("length " << n << ": " << r);
    CHECK(shown * 2 <= std::max<std::size_t>(n, 1));
    if (n >= 8) CHECK(r.find(s) == std::string::npos);
  }
}

TEST_CASE("fingerprints depend on rule, path and secret, not on anything else") {
  const std::string a = fingerprint("r", "p/a.txt", "s1");
  CHECK(a == fingerprint("r", "p/a.txt", "s1"));
  CHECK(a != fingerprint("r", "p/b.txt", "s1"));
  CHECK(a != fingerprint("r", "p/a.txt", "s2"));
  CHECK(a != fingerprint("q", "p/a.txt", "s1"));
  CHECK(a.rfind("r:p/a.txt:", 0) == 0);
  CHECK(a.find("s1") == std::string::npos);
}

TEST_CASE("entropy of uniform and random strings") {
  CHECK(shannon_entropy("") == 0);
  CHECK(shannon_entropy("aaaa") == 0);
  CHECK(shannon_entropy("abab") == Approx(1.0));
  CHECK(shannon_entropy(test::fake_together_key(3)) > 4.0);
}
