// Test support: throwaway directories and real git repositories built with libgit2, and fake secrets
// generated at run time from a seeded generator (the repository never holds a key-shaped string).
#pragma once

#include <git2.h>

#include <cstdint>
#include <string>
#include <vector>

namespace keygate::test {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& content);  // creates parent directories
std::string read_file(const std::string& path);

// A fake Together key ("tgp_v1_" + 43 base64url characters), different for each seed, same every run.
std::string fake_together_key(std::uint64_t seed);
// A line holding a credential that a generic rule finds and the path demotes (a bcrypt hash,
// bcrypt-password-hash): medium in src/, low in tests/, different for each seed. (The generic password
// rule's and url-credentials' confidence is the scorer's, which weighs the path itself.)
std::string fake_path_demoted_credential(std::uint64_t seed);
// `n` characters drawn from `alphabet`, from a seeded generator.
std::string random_string(std::uint64_t seed, std::size_t n, const std::string& alphabet);
// `ascii` as UTF-16 bytes, little- or big-endian, with or without a byte order mark (as Windows tools write).
std::string utf16(const std::string& ascii, bool little_endian, bool bom);

// A non-bare repository in a TempDir, driven through libgit2.
class TestRepo {
 public:
  TestRepo();
  ~TestRepo();
  const std::string& dir() const { return dir_.path(); }
  git_repository* get() const { return repo_; }
  void write(const std::string& path, const std::string& content) const;  // in the work tree
  void remove(const std::string& path) const;                             // from the work tree
  void stage(const std::string& path) const;                              // git add
  void unstage_removal(const std::string& path) const;                    // git rm --cached
  // Commits the index on HEAD (or on `parents` when given); returns the commit id in hex.
  std::string commit(const std::string& message, const std::vector<std::string>& parents = {}) const;
  // Points a branch at a commit.
  void branch(const std::string& name, const std::string& commit_id) const;
  // git checkout of a branch: HEAD, index and work tree.
  void checkout(const std::string& name) const;

 private:
  TempDir dir_;
  git_repository* repo_ = nullptr;
};

// Makes the test process hermetic; called once by the test main before any test runs. Drops every GIT_*
// variable, points HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL at a private directory and file (with a test
// identity), turns the system config off, and sets libgit2's global/XDG/system/programdata config search
// paths to that private directory, so neither libgit2 nor the git CLI reads or writes the user's config.
// Holds a libgit2 reference for the whole run (the search paths last only while the library stays
// initialised).
void isolate_from_user_config();

// Runs a shell command; returns its exit status.
int run_shell(const std::string& command);

}  // namespace keygate::test
