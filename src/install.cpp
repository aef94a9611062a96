// This file implements hook installation (see install.hpp).
#include "install.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "git.hpp"

namespace keygate {
namespace {

constexpr std::string_view kMarker = "# installed by keygate";
constexpr std::string_view kChainedName = "pre-commit.keygate-chained";

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path` atomically (temporary file + rename), executable.
void write_executable(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".keygate-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw Error(path + ": cannot write hook: " + std::strerror(errno));
    }
  }
  if (::chmod(tmp.c_str(), 0755) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw Error(path + ": cannot write hook: " + why);
  }
}

std::string ensure_slash(std::string dir) {
  if (!dir.empty() && dir.back() != '/') dir += '/';
  return dir;
}

void make_directories(const std::string& dir) {
  for (std::size_t i = 1; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      const std::string part = dir.substr(0, i);
      if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
        throw Error(part + ": cannot create hooks directory: " + std::strerror(errno));
      }
    }
  }
}

bool is_keygate_hook(const std::string& path) { return read_file(path).find(kMarker) != std::string::npos; }

}  // namespace

std::string hook_script(const std::string& keygate_path) {
  std::string script(hook_template());
  const std::string placeholder = "@KEYGATE@";
  for (std::size_t at = script.find(placeholder); at != std::string::npos; at = script.find(placeholder, at)) {
    script.replace(at, placeholder.size(), keygate_path);
    at += keygate_path.size();
  }
  return script;
}

std::string hooks_directory(const std::string& dir) {
  git::Repository repo = git::open(dir);
  git_config* raw = nullptr;
  git::check(git_repository_config_snapshot(&raw, repo.get()), "cannot read the repository's config");
  git::Config config(raw);
  git_buf value = GIT_BUF_INIT;
  if (git_config_get_path(&value, config.get(), "core.hooksPath") == 0) {
    std::string hooks(value.ptr, value.size);
    git_buf_dispose(&value);
    if (!hooks.empty() && hooks[0] != '/') {
      // git runs hooks from the top of the work tree, so a relative core.hooksPath is relative to it.
      const char* base = git_repository_workdir(repo.get());
      hooks = ensure_slash(base ? base : git_repository_path(repo.get())) + hooks;
    }
    return ensure_slash(hooks);
  }
  git_error_clear();
  return ensure_slash(git_repository_commondir(repo.get())) + "hooks/";
}

std::string install_hook(const std::string& dir, const std::string& keygate_path) {
  const std::string hooks = hooks_directory(dir);
  const std::string hook = hooks + "pre-commit";
  const std::string chained = hooks + std::string(kChainedName);
  const std::string script = hook_script(keygate_path);
  make_directories(hooks);
  if (exists(hook)) {
    if (is_keygate_hook(hook)) {
      if (read_file(hook) == script) return "keygate hook already installed in " + hook;
      write_executable(hook, script);
      return "keygate hook updated in " + hook;
    }
    if (exists(chained)) {
      throw Error(hook + ": a hook that is not keygate's is there, and " + chained +
                  " exists too; move one of them away first");
    }
    if (::rename(hook.c_str(), chained.c_str()) != 0) {
      throw Error(hook + ": cannot keep the existing hook: " + std::strerror(errno));
    }
    try {
      write_executable(hook, script);
    } catch (const Error&) {
      ::rename(chained.c_str(), hook.c_str());
      throw;
    }
    return "keygate hook installed in " + hook + " (the existing hook still runs, as " + chained + ")";
  }
  write_executable(hook, script);
  return "keygate hook installed in " + hook;
}

std::string uninstall_hook(const std::string& dir) {
  const std::string hooks = hooks_directory(dir);
  const std::string hook = hooks + "pre-commit";
  const std::string chained = hooks + std::string(kChainedName);
  if (!exists(hook) || !is_keygate_hook(hook)) return "keygate hook is not installed in " + hooks;
  if (std::remove(hook.c_str()) != 0) throw Error(hook + ": cannot remove: " + std::strerror(errno));
  if (exists(chained)) {
    if (::rename(chained.c_str(), hook.c_str()) != 0) {
      throw Error(chained + ": cannot restore the previous hook: " + std::strerror(errno));
    }
    return "keygate hook removed from " + hook + "; the previous hook is back";
  }
  return "keygate hook removed from " + hook;
}

}  // namespace keygate
