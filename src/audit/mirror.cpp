// This file implements the audit's mirror cache (see mirror.hpp): git clone --mirror and git fetch run as
// subprocesses with a time limit, their stderr kept for the error message.
#include "audit/mirror.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "util/sha256.hpp"

extern char** environ;

namespace keygate::audit {
namespace {

// Runs git with `args` (and, when the target has one, its auth header through GIT_CONFIG_* variables,
// which no other user can read in `ps`), killing it after `timeout`. Throws Error with git's last stderr
// line when it fails.
void run_git(const std::vector<std::string>& args, const Target& target, std::chrono::milliseconds timeout) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "GIT_CONFIG_", 11) != 0) env.emplace_back(*e);
  }
  env.emplace_back("GIT_TERMINAL_PROMPT=0");  // a private repository fails instead of waiting for a password
  if (!target.auth_header.empty()) {
    env.emplace_back("GIT_CONFIG_COUNT=1");
    env.emplace_back("GIT_CONFIG_KEY_0=http." + target.auth_url + ".extraHeader");
    env.emplace_back("GIT_CONFIG_VALUE_0=" + target.auth_header);
  }
  std::vector<char*> argv{const_cast<char*>("git")};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw Error(std::string("cannot run git: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);  // its own group: a timeout kills git's helpers (remote-https, index-pack) too
    ::dup2(pipe_fds[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    ::execvpe("git", argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    throw Error(std::string("cannot run git: ") + std::strerror(errno));
  }
  ::setpgid(pid, pid);
  std::string stderr_text;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
            .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char buffer[4096];
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    stderr_text.append(buffer, static_cast<std::size_t>(n));
    if (stderr_text.size() > 65536) stderr_text.erase(0, stderr_text.size() - 4096);
  }
  ::close(pipe_fds[0]);
  if (timed_out) ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  std::string what = "git";  // "git fetch", "git clone"
  for (const std::string& a : args) {
    if (a.rfind("--", 0) != 0) {
      what += " " + a;
      break;
    }
  }
  if (timed_out) throw Error(what + ": over the time limit (" + std::to_string(timeout.count()) + " ms)");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  // git's last non-empty line says why ("fatal: repository '...' not found").
  while (!stderr_text.empty() && (stderr_text.back() == '\n' || stderr_text.back() == '\r'))
    stderr_text.pop_back();
  const std::size_t cut = stderr_text.find_last_of("\r\n");
  const std::string last = cut == std::string::npos ? stderr_text : stderr_text.substr(cut + 1);
  throw Error(what + " failed" + (last.empty() ? "" : ": " + last));
}

}  // namespace

std::string safe_file_name(const std::string& name) {
  std::string safe;
  for (unsigned char c : name) {
    if (safe.size() >= 80) break;
    safe.push_back(std::isalnum(c) || c == '.' || c == '-' || c == '_' ? static_cast<char>(c) : '_');
  }
  while (!safe.empty() && safe.front() == '.') safe.erase(0, 1);  // never hidden, never ".."
  return safe + "-" + to_hex(sha256(name)).substr(0, 12);
}

std::string update_mirror(const Target& target, const std::string& cache, std::chrono::milliseconds timeout) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec) throw Error(cache + ": cannot create the mirror cache: " + ec.message());
  const std::string dir = cache + "/" + safe_file_name(target.name) + ".git";
  if (fs::exists(dir + "/HEAD", ec)) {
    run_git({"--git-dir=" + dir, "fetch", "--prune", "--quiet", "origin"}, target, timeout);
    return dir;
  }
  // A clone killed part-way left its temporary directory: start again.
  const std::string temp = dir + ".partial";
  fs::remove_all(temp, ec);
  run_git({"clone", "--mirror", "--quiet", "--", target.location, temp}, target, timeout);
  fs::rename(temp, dir, ec);
  if (ec) throw Error(dir + ": cannot put the mirror in place: " + ec.message());
  return dir;
}

}  // namespace keygate::audit
