// This file implements `keygate install` and `keygate uninstall`: each hook is written where git itself says
// it runs hooks (`git rev-parse --git-path hooks`), from one template (hooks/pre-commit, embedded at build
// time). A hook that is already there is kept as NAME.keygate-chained and run after keygate; uninstall puts
// it back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keygate {

// What git hands a hook besides its arguments. Stdin input (pre-push, pre-receive) can be read only once,
// so the hook script keeps it and feeds it to keygate and then to the chained hook.
enum class HookInput { Arguments, Stdin };

// Where the hook goes. FolderWhenPresent (pre-receive): when the hooks directory has NAME.d/ (Gitea,
// GitLab custom hooks run every script in it), keygate writes NAME.d/keygate and leaves NAME alone.
enum class HookPlace { Hooks, FolderWhenPresent };

// A git hook keygate can install: its name and the keygate command line it runs. Adding a hook is one entry
// in kHooks (install.cpp).
struct HookSpec {
  std::string_view name;     // git's name for it, e.g. "pre-commit"
  std::string_view command;  // the arguments of keygate it runs, e.g. "staged"; git's own arguments follow
  std::string_view bypass;   // how the user skips it once, e.g. "git commit --no-verify"
  bool by_default;           // installed by a plain `keygate install`
  HookInput input = HookInput::Arguments;
  HookPlace place = HookPlace::Hooks;
};

// Every hook keygate knows, in install order.
const std::vector<HookSpec>& known_hooks();

// The spec for `name`. Throws Error naming the known hooks when there is none.
const HookSpec& hook_spec(std::string_view name);

// The directory git runs hooks from for the repository containing `dir` ("" = current directory), with a
// trailing '/', as git resolves it (core.hooksPath from every config source git reads, worktree config,
// conditional includes, GIT_CONFIG_* variables). Throws Error when `dir` is not in a repository.
std::string hooks_directory(const std::string& dir);

// Installs the hooks named in `hooks` (empty = every hook with by_default) and checks that git would run
// each one (for a hook written into NAME.d/, that it is there, keygate's and executable). Returns one line
// per hook ("installed …", "already installed …"). Holds a lock file in the hooks directory meanwhile; on
// Error nothing is half-done: every hook is either as before or installed, and a user's hook is either in
// place or kept as NAME.keygate-chained.
std::string install_hooks(const std::string& dir, const std::string& keygate_path,
                          const std::vector<std::string>& hooks = {});

// Removes keygate's hooks named in `hooks` (empty = every known hook) and restores the chained ones; for
// pre-receive, also keygate's pre-receive.d/keygate. Returns one line per hook.
std::string uninstall_hooks(const std::string& dir, const std::vector<std::string>& hooks = {});

// The hook script for `spec` with the keygate binary's path filled in, quoted for the shell.
std::string hook_script(const HookSpec& spec, const std::string& keygate_path);

// What a hook prints when keygate fails (`why`: "exit 2", "signal 11"): the two lines the hook script
// prints, and keygate itself when the script handed over to it (KEYGATE_HOOK, process.hpp). Each ends
// with a newline.
std::string hook_failure_advice(const HookSpec& spec, std::string_view why);

// `text` as one shell word in single quotes (a ' becomes '\'').
std::string shell_quote(const std::string& text);

// The embedded hook template (hooks/pre-commit at build time).
std::string_view hook_template();

}  // namespace keygate
