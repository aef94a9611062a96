// This file implements `keygate install` and `keygate uninstall`: the pre-commit hook is written where git
// will run it (core.hooksPath, or the common git directory's hooks/, which linked worktrees share). A hook
// that is already there is kept as pre-commit.keygate-chained and run after keygate; uninstall puts it back.
#pragma once

#include <string>

namespace keygate {

// The directory git runs hooks from for the repository containing `dir` ("" = current directory).
std::string hooks_directory(const std::string& dir);

// Installs the hook; returns a one-line description of what it did ("installed …", "already installed …").
// Throws Error when it cannot, touching nothing.
std::string install_hook(const std::string& dir, const std::string& keygate_path);

// Removes keygate's hook and restores a chained one. Returns a one-line description.
std::string uninstall_hook(const std::string& dir);

// The hook script with the keygate binary's path filled in.
std::string hook_script(const std::string& keygate_path);

// The embedded hook template (hooks/pre-commit at build time).
std::string_view hook_template();

}  // namespace keygate
