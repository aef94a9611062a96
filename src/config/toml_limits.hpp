// This file implements the checks a config text passes before toml11 parses it: UTF-8 (toml11 3.7 reads
// out of bounds on invalid UTF-8 in a multi-line literal string), size, nesting and dotted-key length
// (toml11 recurses and splits keys without bounds). The first stage of config.cpp calls it.
#pragma once

#include <string>
#include <string_view>

namespace keygate {

// Throws Error("name:line: invalid TOML: ...") when `text` is not UTF-8, larger than 16 MB, nested deeper
// than 32 levels or holds a key of more than 32 parts.
void check_toml_text(std::string_view text, const std::string& name);

}  // namespace keygate
