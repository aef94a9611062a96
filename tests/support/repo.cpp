// Test support (see repo.hpp).
#include "support/repo.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace keygate::test {
namespace {

void ok(int rc, const char* what) {
  if (rc < 0) {
    const git_error* e = git_error_last();
    throw std::runtime_error(std::string(what) + ": " + (e ? e->message : "?"));
  }
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/keygate-test-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_file(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string utf16(const std::string& ascii, bool little_endian, bool bom) {
  std::string out;
  if (bom) out += little_endian ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
  for (const char c : ascii) {
    out += little_endian ? c : '\0';
    out += little_endian ? '\0' : c;
  }
  return out;
}

std::string fake_path_demoted_credential(std::uint64_t seed) {
  return "ADMIN_HASH = \"$2b$12$" +
         random_string(seed, 53, "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") + "\"\n";
}

std::string random_string(std::uint64_t seed, std::size_t n, const std::string& alphabet) {
  std::mt19937_64 rng(seed * 7919 + 17);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[rng() % alphabet.size()];
  return out;
}

std::string fake_together_key(std::uint64_t seed) {
  return std::string("tgp_") + "v1_" +
         random_string(seed, 43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
}

extern "C" char** environ;

void isolate_from_user_config() {
  static TempDir home;  // lives until exit: every repository and git process of the run uses it
  std::vector<std::string> names;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    if (entry.rfind("GIT_", 0) == 0) names.push_back(entry.substr(0, entry.find('=')));
  }
  for (const std::string& name : names) ::unsetenv(name.c_str());
  const std::string config = home / ".gitconfig";
  write_file(config,
             "[user]\n\tname = Test Author\n\temail = author@example.invalid\n"
             "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n");
  ::setenv("HOME", home.path().c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (home / ".config").c_str(), 1);
  ::setenv("GIT_CONFIG_GLOBAL", config.c_str(), 1);
  ::setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  ::setenv("GIT_CONFIG_SYSTEM", "/dev/null", 1);
  git_libgit2_init();
  for (const git_config_level_t level : {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG,
                                         GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_PROGRAMDATA}) {
    ok(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, home.path().c_str()), "config search path");
  }
}

TestRepo::TestRepo() {
  git_libgit2_init();
  // An explicit initial branch: the tests name "main", whatever init.defaultBranch says anywhere.
  git_repository_init_options options;
  git_repository_init_options_init(&options, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
  options.flags = GIT_REPOSITORY_INIT_MKPATH;
  options.initial_head = "main";
  ok(git_repository_init_ext(&repo_, dir_.path().c_str(), &options), "init");
  git_config* config = nullptr;
  ok(git_repository_config(&config, repo_), "config");
  git_config_set_string(config, "user.name", "Test Author");
  git_config_set_string(config, "user.email", "author@example.invalid");
  git_config_free(config);
}

TestRepo::~TestRepo() { git_repository_free(repo_); }

void TestRepo::write(const std::string& path, const std::string& content) const {
  write_file(dir() + "/" + path, content);
}

void TestRepo::remove(const std::string& path) const { std::filesystem::remove(dir() + "/" + path); }

void TestRepo::stage(const std::string& path) const {
  git_index* index = nullptr;
  ok(git_repository_index(&index, repo_), "index");
  ok(git_index_add_bypath(index, path.c_str()), "add");
  ok(git_index_write(index), "write index");
  git_index_free(index);
}

void TestRepo::unstage_removal(const std::string& path) const {
  git_index* index = nullptr;
  ok(git_repository_index(&index, repo_), "index");
  ok(git_index_remove_bypath(index, path.c_str()), "remove");
  ok(git_index_write(index), "write index");
  git_index_free(index);
}

std::string TestRepo::commit(const std::string& message, const std::vector<std::string>& parent_ids) const {
  git_index* index = nullptr;
  ok(git_repository_index(&index, repo_), "index");
  git_oid tree_id;
  ok(git_index_write_tree(&tree_id, index), "write tree");
  ok(git_index_write(index), "write index");
  git_index_free(index);
  git_tree* tree = nullptr;
  ok(git_tree_lookup(&tree, repo_, &tree_id), "tree");
  std::vector<git_commit*> parents;
  if (parent_ids.empty()) {
    git_oid head;
    if (git_reference_name_to_id(&head, repo_, "HEAD") == 0) {
      git_commit* p = nullptr;
      ok(git_commit_lookup(&p, repo_, &head), "parent");
      parents.push_back(p);
    }
  } else {
    for (const std::string& hex : parent_ids) {
      git_oid id;
      ok(git_oid_fromstr(&id, hex.c_str()), "oid");
      git_commit* p = nullptr;
      ok(git_commit_lookup(&p, repo_, &id), "parent");
      parents.push_back(p);
    }
  }
  static int clock = 0;
  git_signature* sig = nullptr;
  ok(git_signature_new(&sig, "Test Author", "author@example.invalid", 1700000000 + 60 * ++clock, 0),
     "signature");
  git_oid commit_id;
  ok(git_commit_create(&commit_id, repo_, "HEAD", sig, sig, nullptr, message.c_str(), tree, parents.size(),
                       const_cast<const git_commit**>(parents.data())),
     "commit");
  git_signature_free(sig);
  for (git_commit* p : parents) git_commit_free(p);
  git_tree_free(tree);
  return git_oid_tostr_s(&commit_id);
}

void TestRepo::branch(const std::string& name, const std::string& commit_id) const {
  git_oid id;
  ok(git_oid_fromstr(&id, commit_id.c_str()), "oid");
  git_commit* c = nullptr;
  ok(git_commit_lookup(&c, repo_, &id), "commit");
  git_reference* ref = nullptr;
  ok(git_branch_create(&ref, repo_, name.c_str(), c, 1), "branch");
  git_reference_free(ref);
  git_commit_free(c);
}

void TestRepo::checkout(const std::string& name) const {
  const std::string ref = "refs/heads/" + name;
  git_object* target = nullptr;
  ok(git_revparse_single(&target, repo_, ref.c_str()), "revparse");
  git_checkout_options options;
  git_checkout_options_init(&options, GIT_CHECKOUT_OPTIONS_VERSION);
  options.checkout_strategy = GIT_CHECKOUT_FORCE;
  ok(git_checkout_tree(repo_, target, &options), "checkout");
  ok(git_repository_set_head(repo_, ref.c_str()), "set head");
  git_object_free(target);
}

int run_shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace keygate::test
