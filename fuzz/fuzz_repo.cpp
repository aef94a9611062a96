// Fuzz target: the staged and history readers over repositories the input describes. The input is a
// little program (write a file, stage it, unstage it, commit, commit a merge with an earlier commit, plant
// a key); the resulting repository goes through read_staged_changes and read_history. Either may report
// an Error; neither may crash, and every finding must have a place.
#include <git2.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/error.hpp"
#include "core/scanner.hpp"
#include "core/source.hpp"
#include "git/git.hpp"

namespace {

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::string bytes(std::size_t n) {
    n = std::min(n, size_ - pos_);
    std::string out(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

const char* const kPaths[] = {"a.txt", "b.env", "dir/c.py", "dir/sub/d.json", "e f/g h.txt", "dir/c.py.bak"};

void check_findings(const std::vector<keygate::Finding>& findings) {
  for (const keygate::Finding& f : findings) {
    if (f.file.empty() || f.line < 1 || f.column < 1) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = [] {
    keygate::git::init();
    char pattern[] = "/tmp/keygate-fuzz-repo-XXXXXX";
    return std::string(::mkdtemp(pattern));
  }();
  static const keygate::RuleSet rules(keygate::default_config());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  git_repository* repo = nullptr;
  if (git_repository_init(&repo, dir.c_str(), 0) != 0) return 0;
  git_index* index = nullptr;
  git_repository_index(&index, repo);
  git_signature* sig = nullptr;
  git_signature_new(&sig, "Fuzz", "fuzz@example.invalid", 1700000000, 0);
  std::vector<git_oid> commits;

  Input in(data, size);
  for (int steps = 0; !in.done() && steps < 64; ++steps) {
    const std::uint8_t op = in.byte() % 6;
    const char* path = kPaths[in.byte() % (sizeof kPaths / sizeof kPaths[0])];
    const std::string full = dir + "/" + path;
    if (op == 0 || op == 5) {  // write a file (op 5: with a key in it)
      std::filesystem::create_directories(std::filesystem::path(full).parent_path());
      std::ofstream out(full, std::ios::binary | std::ios::trunc);
      out << in.bytes(in.byte());
      if (op == 5) {
        static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        std::string key = std::string("tgp_") + "v1_";
        for (int i = 0; i < 43; ++i) key += kAlphabet[(in.byte() + i * 7) % 64];
        out << "\nkey = \"" << key << "\"\n";
      }
    } else if (op == 1) {  // stage
      git_index_add_bypath(index, path);
    } else if (op == 2) {  // unstage
      git_index_remove_bypath(index, path);
    } else {  // commit, or (op 4) commit a merge with an earlier commit
      git_oid tree_id;
      if (git_index_write_tree(&tree_id, index) != 0) continue;
      git_tree* tree = nullptr;
      git_tree_lookup(&tree, repo, &tree_id);
      std::vector<git_commit*> parents;
      if (!commits.empty()) {
        git_commit* p = nullptr;
        git_commit_lookup(&p, repo, &commits.back());
        parents.push_back(p);
        if (op == 4 && commits.size() > 1) {
          git_commit* q = nullptr;
          git_commit_lookup(&q, repo, &commits[in.byte() % (commits.size() - 1)]);
          parents.push_back(q);
        }
      }
      git_oid id;
      if (git_commit_create(&id, repo, "HEAD", sig, sig, nullptr, "c", tree, parents.size(),
                            const_cast<const git_commit**>(parents.data())) == 0) {
        commits.push_back(id);
      }
      for (git_commit* p : parents) git_commit_free(p);
      git_tree_free(tree);
    }
  }
  git_index_write(index);
  git_index_free(index);
  git_signature_free(sig);

  try {
    keygate::FindingCollector staged_found;
    keygate::Scanner staged(rules, keygate::ScanSettings{}, staged_found);
    keygate::read_staged_changes(repo, "", staged);
    check_findings(staged_found.take());
  } catch (const keygate::Error&) {
  }
  try {
    keygate::ScanSettings settings;
    settings.jobs = 2;
    keygate::FindingCollector history_found;
    keygate::Scanner history(rules, settings, history_found);
    keygate::read_history(repo, keygate::HistoryOptions{}, history);
    check_findings(history_found.take());
  } catch (const keygate::Error&) {
  }
  git_repository_free(repo);
  return 0;
}
