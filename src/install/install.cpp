// This file implements hook installation (see install.hpp): asking git where its hooks are, the lock that
// serialises concurrent installs, and the write/keep/restore steps, each of which leaves a usable state.
#include "install/install.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/error.hpp"
#include "util/file_io.hpp"

namespace keygate {
namespace {

// The hooks keygate installs. A merge that git completes by itself runs pre-merge-commit, not pre-commit,
// so both check what is staged (see README, "What a merge is judged by"). commit-msg is a default too: a
// key pasted into a message is as bad as one in a file, and the check reads one small file. The push
// checks are opt-in (`--hook pre-push`, `--hook pre-receive` on a server); the pusher cannot bypass
// pre-receive, only the server's settings can.
const std::vector<HookSpec> kHooks = {
    {"pre-commit", "staged", "git commit --no-verify", true},
    {"pre-merge-commit", "staged", "git merge --no-verify", true},
    {"commit-msg", "commit-msg", "git commit --no-verify", true},
    {"pre-push", "pre-push", "git push --no-verify", false, HookInput::Stdin},
    {"pre-receive", "pre-receive",
     "git push -o keygate.skip if the server's administrator allows it (keygate.allowSkip), otherwise ask "
     "them",
     false, HookInput::Stdin, HookPlace::FolderWhenPresent},
};

constexpr std::string_view kMarker = "# installed by keygate";
constexpr std::string_view kChainedSuffix = ".keygate-chained";
constexpr std::string_view kLockName = "keygate-install.lock";

std::string errno_text(int err) { return std::strerror(err); }

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_directory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

void make_directories(const std::string& dir) {
  for (std::size_t i = 1; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      const std::string part = dir.substr(0, i);
      if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
        throw Error(part + ": cannot create hooks directory: " + errno_text(errno));
      }
    }
  }
}

// Runs `git -C dir ARGS...` and returns its standard output. With a `dir`, git's repository variables
// (GIT_DIR, ...) are dropped so that `dir` decides; without, they are honoured, as inside a hook. Throws
// Error with git's first line of complaint when it fails.
std::string run_git(const std::string& dir, const std::vector<std::string>& args) {
  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw Error("cannot run git: " + errno_text(errno));
  if (::pipe2(err, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(out[0]);
    ::close(out[1]);
    throw Error("cannot run git: " + errno_text(e));
  }
  std::vector<std::string> words = {"git", "-C", dir};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    if (!dir.empty()) {
      for (const char* name : {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR"})
        ::unsetenv(name);
    }
    ::execvp("git", argv.data());
    const char msg[] = "cannot run git: not found\n";
    [[maybe_unused]] const ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  const int fork_errno = errno;
  ::close(out[1]);
  ::close(err[1]);
  std::string text[2];
  if (pid > 0) {
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        char buf[4096];
        const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        if (n > 0) {
          text[i].append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          fds[i].fd = -1;
          --open_fds;
        }
      }
    }
  }
  ::close(out[0]);
  ::close(err[0]);
  if (pid < 0) throw Error("cannot run git: " + errno_text(fork_errno));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string why = text[1].substr(0, text[1].find('\n'));
    if (why.empty())
      why = "git exited with status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128);
    throw Error((dir.empty() ? std::string(".") : dir) + ": " + why);
  }
  return text[0];
}

// The absolute paths git uses for `names` (`git rev-parse --git-path`), one per name.
std::vector<std::string> git_paths(const std::string& dir, const std::vector<std::string>& names) {
  std::vector<std::string> args = {"rev-parse", "--path-format=absolute"};
  for (const std::string& n : names) {
    args.push_back("--git-path");
    args.push_back(n);
  }
  const std::string out = run_git(dir, args);
  std::vector<std::string> paths;
  for (std::size_t at = 0; at < out.size();) {
    const std::size_t end = out.find('\n', at);
    paths.push_back(out.substr(at, end == std::string::npos ? std::string::npos : end - at));
    at = end == std::string::npos ? out.size() : end + 1;
  }
  if (paths.size() != names.size())
    throw Error((dir.empty() ? "." : dir) + ": unexpected output from git rev-parse");
  return paths;
}

// An O_EXCL lock file in the hooks directory holding the owner's pid, so that concurrent installs and
// uninstalls run one after the other. A lock whose owner is gone (or that stayed empty for a minute, its
// owner having died between creating and writing it) is stale and removed.
class HooksLock {
 public:
  explicit HooksLock(const std::string& hooks) : path_(hooks + std::string(kLockName)) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd >= 0) {
        const std::string pid = std::to_string(::getpid()) + "\n";
        const bool written = ::write(fd, pid.data(), pid.size()) == static_cast<ssize_t>(pid.size());
        ::close(fd);
        if (!written) {
          ::unlink(path_.c_str());
          throw Error(path_ + ": cannot write lock file");
        }
        return;
      }
      if (errno != EEXIST) throw Error(path_ + ": cannot create lock file: " + errno_text(errno));
      std::string owner;
      if (stale(&owner)) {
        ::unlink(path_.c_str());
        continue;
      }
      if (std::chrono::steady_clock::now() > give_up) {
        throw Error(path_ + ": another keygate install or uninstall (pid " + owner +
                    ") holds this lock; if none is running, remove the file");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~HooksLock() { ::unlink(path_.c_str()); }
  HooksLock(const HooksLock&) = delete;
  HooksLock& operator=(const HooksLock&) = delete;

 private:
  bool stale(std::string* owner) const {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;  // gone meanwhile: try again
    char buf[32] = {};
    const ssize_t n = ::read(fd, buf, sizeof buf - 1);
    struct stat st;
    const bool have_stat = ::fstat(fd, &st) == 0;
    ::close(fd);
    const long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
    *owner = pid > 0 ? std::to_string(pid) : "unknown";
    if (pid > 0) return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    return have_stat && ::time(nullptr) - st.st_mtime > 60;
  }
  std::string path_;
};

bool is_keygate_hook(const std::string& path) {
  return load_file(path, "the existing hook").find(kMarker) != std::string::npos;
}

// NAME.d/ in the hooks directory, where a server (Gitea, GitLab) runs every script beside its own hook.
std::string hook_folder(const HookSpec& spec, const std::string& hooks) {
  return hooks + std::string(spec.name) + ".d/";
}

// Where keygate writes `spec`'s hook: NAME in the hooks directory, or NAME.d/keygate (see HookPlace).
std::string hook_path(const HookSpec& spec, const std::string& hooks) {
  if (spec.place == HookPlace::FolderWhenPresent && is_directory(hook_folder(spec, hooks))) {
    return hook_folder(spec, hooks) + "keygate";
  }
  return hooks + std::string(spec.name);
}

// Installs one hook at hook_path(); the caller holds the lock. Returns its report line and sets `*written`
// to where it is.
std::string install_one(const HookSpec& spec, const std::string& hooks, const std::string& keygate_path,
                        std::string* written) {
  const std::string hook = hook_path(spec, hooks);
  *written = hook;
  const std::string chained = hook + std::string(kChainedSuffix);
  const std::string script = hook_script(spec, keygate_path);
  if (!exists(hook)) {
    write_file_atomic(hook, script, FileMode::Executable, "hook");
    return "keygate " + std::string(spec.name) + " hook installed in " + hook;
  }
  if (is_keygate_hook(hook)) {
    if (load_file(hook, "the existing hook") == script) {
      return "keygate " + std::string(spec.name) + " hook already installed in " + hook;
    }
    write_file_atomic(hook, script, FileMode::Executable, "hook");
    return "keygate " + std::string(spec.name) + " hook updated in " + hook;
  }
  // In NAME.d/ every script runs anyway: a foreign `keygate` there is not chained (it would run twice).
  if (hook != hooks + std::string(spec.name)) {
    throw Error(hook + ": a file that is not keygate's hook is there; move it away first");
  }
  // Someone else's hook. First a second name for it (a hard link: the same file, symlink or not), then
  // keygate's hook replaces the first name in one rename: at every moment the user's hook is in place or
  // chained. A chained copy identical to the hook is what an interrupted install leaves: go on.
  if (exists(chained)) {
    if (load_file(chained, "the chained hook") != load_file(hook, "the existing hook")) {
      throw Error(hook + ": a hook that is not keygate's is there, and " + chained +
                  " exists too; move one of them away first");
    }
  } else if (::link(hook.c_str(), chained.c_str()) != 0) {
    throw Error(hook + ": cannot keep the existing hook as " + chained + ": " + errno_text(errno));
  }
  try {
    write_file_atomic(hook, script, FileMode::Executable, "hook");
  } catch (const Error&) {
    ::unlink(chained.c_str());  // the hook itself is untouched
    throw;
  }
  return "keygate " + std::string(spec.name) + " hook installed in " + hook +
         " (the existing hook still runs, as " + chained + ")";
}

// Removes keygate's hook at `hook` (NAME, or NAME.d/keygate) and puts a chained one back.
std::string uninstall_one(const HookSpec& spec, const std::string& hook) {
  const std::string chained = hook + std::string(kChainedSuffix);
  if (!exists(hook) || !is_keygate_hook(hook)) {
    return "keygate " + std::string(spec.name) + " hook is not installed in " +
           hook.substr(0, hook.rfind('/') + 1);
  }
  if (exists(chained)) {
    // One rename puts the user's hook back over keygate's.
    if (::rename(chained.c_str(), hook.c_str()) != 0) {
      throw Error(chained + ": cannot restore the previous hook: " + errno_text(errno));
    }
    return "keygate " + std::string(spec.name) + " hook removed from " + hook + "; the previous hook is back";
  }
  if (::unlink(hook.c_str()) != 0) throw Error(hook + ": cannot remove: " + errno_text(errno));
  return "keygate " + std::string(spec.name) + " hook removed from " + hook;
}

std::vector<const HookSpec*> select(const std::vector<std::string>& names, bool defaults_only) {
  std::vector<const HookSpec*> specs;
  if (names.empty()) {
    for (const HookSpec& s : kHooks) {
      if (s.by_default || !defaults_only) specs.push_back(&s);
    }
  } else {
    for (const std::string& n : names) specs.push_back(&hook_spec(n));
  }
  return specs;
}

void add_line(std::string& report, const std::string& line) {
  if (!report.empty()) report += '\n';
  report += line;
}

void replace_all(std::string& text, std::string_view placeholder, const std::string& value) {
  for (std::size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at)) {
    text.replace(at, placeholder.size(), value);
    at += value.size();
  }
}

}  // namespace

const std::vector<HookSpec>& known_hooks() { return kHooks; }

const HookSpec& hook_spec(std::string_view name) {
  std::string known;
  for (const HookSpec& s : kHooks) {
    if (s.name == name) return s;
    if (!known.empty()) known += ", ";
    known += s.name;
  }
  throw Error("--hook: keygate has no \"" + std::string(name) + "\" hook (it has " + known + ")");
}

std::string hook_failure_advice(const HookSpec& spec, std::string_view why) {
  const std::string name(spec.name);
  const std::string bypass(spec.bypass);
  return "keygate: the check failed (" + std::string(why) + "), so git is stopped here (" + name +
         ") rather than let it through unchecked.\nkeygate: fix the problem above, or bypass once with: " +
         bypass + "\n";
}

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string hook_script(const HookSpec& spec, const std::string& keygate_path) {
  std::string script(hook_template());
  replace_all(script, "@HOOK@", std::string(spec.name));
  replace_all(script, "@COMMAND@", std::string(spec.command));
  replace_all(script, "@BYPASS@", std::string(spec.bypass));
  replace_all(script, "@INPUT@", spec.input == HookInput::Stdin ? "stdin" : "arguments");
  // Last: the path may itself contain text that looks like a placeholder.
  replace_all(script, "@KEYGATE_QUOTED@", shell_quote(keygate_path));
  return script;
}

std::string hooks_directory(const std::string& dir) {
  std::string hooks = git_paths(dir, {"hooks"}).front();
  if (hooks.empty() || hooks.back() != '/') hooks += '/';
  return hooks;
}

std::string install_hooks(const std::string& dir, const std::string& keygate_path,
                          const std::vector<std::string>& names) {
  const std::vector<const HookSpec*> specs = select(names, true);
  const std::string hooks = hooks_directory(dir);
  make_directories(hooks);
  std::string report;
  std::vector<std::string> written(specs.size());
  {
    HooksLock lock(hooks);
    for (std::size_t i = 0; i < specs.size(); ++i) {
      add_line(report, install_one(*specs[i], hooks, keygate_path, &written[i]));
    }
  }
  // git must run what was written: ask it again where each hook is, and check that it is ours, executable.
  // A script in NAME.d/ is run by the server's own NAME hook: it is checked where it was written.
  std::vector<std::string> hook_names;
  for (const HookSpec* spec : specs) hook_names.push_back("hooks/" + std::string(spec->name));
  const std::vector<std::string> run_paths = git_paths(dir, hook_names);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const bool in_folder = written[i] != hooks + std::string(specs[i]->name);
    const std::string& path = in_folder ? written[i] : run_paths[i];
    if (!exists(path) || ::access(path.c_str(), X_OK) != 0 ||
        load_file(path, "the hook git runs") != hook_script(*specs[i], keygate_path)) {
      throw Error(path + ": git runs this " + std::string(specs[i]->name) +
                  " hook, which is not keygate's executable hook, although keygate wrote " + written[i] +
                  "; keygate is NOT installed");
    }
  }
  return report;
}

std::string uninstall_hooks(const std::string& dir, const std::vector<std::string>& names) {
  const std::vector<const HookSpec*> specs = select(names, false);
  const std::string hooks = hooks_directory(dir);
  if (!exists(hooks)) return "keygate hooks are not installed in " + hooks;
  HooksLock lock(hooks);
  std::string report;
  for (const HookSpec* spec : specs) {
    const std::string hook = hooks + std::string(spec->name);
    const std::string in_folder = hook_folder(*spec, hooks) + "keygate";
    const bool folder_has_ours =
        spec->place == HookPlace::FolderWhenPresent && exists(in_folder) && is_keygate_hook(in_folder);
    // Both places are looked at: the folder may have appeared, or gone, since the install.
    if (!folder_has_ours || (exists(hook) && is_keygate_hook(hook)))
      add_line(report, uninstall_one(*spec, hook));
    if (folder_has_ours) add_line(report, uninstall_one(*spec, in_folder));
  }
  return report;
}

}  // namespace keygate
