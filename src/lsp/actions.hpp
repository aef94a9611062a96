// This file declares the language server's code actions as text edits (keygate lsp): a `keygate:allow`
// comment in the document's language (the detector honours it on the finding's lines, detect/matcher.cpp),
// and the replacement of a secret assigned to a name by that language's way of reading an environment
// variable. Each is computed on the document's bytes; the server turns offsets into LSP ranges.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace keygate::lsp {

// The language a document is in: the client's languageId when it is one keygate knows, else guessed from
// the file's name ("app.py" -> "python", ".env" -> "dotenv"); "" when neither says.
std::string language_of(std::string_view language_id, std::string_view path);

// A byte span of a document and the text to put there.
struct ByteEdit {
  std::size_t begin = 0, end = 0;
  std::string text;
};

// The edit that ends line [line_begin, line_end) of `text` with a `keygate:allow` comment in `language`'s
// syntax ("  # keygate:allow", "  // keygate:allow", "  <!-- keygate:allow -->"); nullopt for a language
// without comments (JSON). An unknown language gets `#`.
std::optional<ByteEdit> allow_comment_edit(std::string_view text, std::size_t line_begin,
                                           std::size_t line_end, std::string_view language);

// The environment-variable replacement of the secret at [begin, end) of `text` (one line):
//  - the value is the whole of a string literal ("…", '…' or `…`), or, unquoted, the rest of its line;
//  - it is assigned to a name: `NAME = `, `NAME := `, `NAME: `, `"NAME": `, `NAME => `, `export NAME=`, …;
//  - `language` has an idiom: Python os.environ["NAME"], JavaScript/TypeScript process.env.NAME, Go
//    os.Getenv("NAME"), shell "$NAME", .env/YAML/Docker ${NAME}, Java/Kotlin System.getenv("NAME"), Ruby
//    ENV["NAME"], Rust std::env::var("NAME"), C# Environment.GetEnvironmentVariable("NAME"), PHP
//    getenv('NAME'), C/C++ getenv("NAME"), Lua os.getenv("NAME"), Perl $ENV{NAME}, PowerShell $env:NAME, ...
// NAME is the assigned name in upper snake case (apiKey -> API_KEY). Returns the edit and sets *variable
// to NAME, or nullopt when any of these does not hold.
std::optional<ByteEdit> environment_edit(std::string_view text, std::size_t begin, std::size_t end,
                                         std::string_view language, std::string* variable);

// `name` as an environment variable's name: words split at case changes, '-', '.' and blanks, joined by
// '_', upper case ("apiKey" -> "API_KEY", "db.password" -> "DB_PASSWORD"); "" when nothing is left or it
// would start with a digit.
std::string environment_name(std::string_view name);

}  // namespace keygate::lsp
