// This file implements the language server's code actions as text edits (see lsp/actions.hpp).
#include "lsp/actions.hpp"

#include <array>
#include <vector>

#include "util/ascii.hpp"

namespace keygate::lsp {
namespace {

// What keygate knows of a language: how a comment is written and how a program reads an environment
// variable ("{}" stands for its name).
struct Language {
  std::string_view id;                       // the LSP languageId
  std::string_view comment_open;             // "" : the language has no comments
  std::string_view comment_close;            // "" : a line comment
  std::string_view environment;              // "" : no idiom keygate offers
  bool bare_values;                          // an assigned value may stand unquoted (KEY=value)
  std::vector<std::string_view> extensions;  // ".py"; a whole file name ("Dockerfile") without a dot
};

const std::vector<Language>& languages() {
  static const std::vector<Language> table = {
      {"python", "#", "", "os.environ[\"{}\"]", false, {".py", ".pyw", ".pyi"}},
      {"javascript", "//", "", "process.env.{}", false, {".js", ".mjs", ".cjs"}},
      {"javascriptreact", "//", "", "process.env.{}", false, {".jsx"}},
      {"typescript", "//", "", "process.env.{}", false, {".ts", ".mts", ".cts"}},
      {"typescriptreact", "//", "", "process.env.{}", false, {".tsx"}},
      {"go", "//", "", "os.Getenv(\"{}\")", false, {".go"}},
      {"shellscript", "#", "", "\"${}\"", true, {".sh", ".bash", ".zsh", ".ksh"}},
      {"sh", "#", "", "\"${}\"", true, {}},
      {"bash", "#", "", "\"${}\"", true, {}},
      {"zsh", "#", "", "\"${}\"", true, {}},
      {"dotenv", "#", "", "${{}}", true, {".env"}},
      {"yaml", "#", "", "${{}}", true, {".yml", ".yaml"}},
      {"dockerfile", "#", "", "${{}}", true, {"Dockerfile", ".dockerfile"}},
      {"properties", "#", "", "${{}}", true, {".properties"}},
      {"makefile", "#", "", "$({})", true, {"Makefile", "GNUmakefile", ".mk"}},
      {"java", "//", "", "System.getenv(\"{}\")", false, {".java"}},
      {"kotlin", "//", "", "System.getenv(\"{}\")", false, {".kt", ".kts"}},
      {"scala", "//", "", "sys.env(\"{}\")", false, {".scala", ".sc"}},
      {"groovy", "//", "", "System.getenv(\"{}\")", false, {".groovy", ".gradle"}},
      {"ruby", "#", "", "ENV[\"{}\"]", false, {".rb", ".rake", "Gemfile", "Rakefile"}},
      {"rust", "//", "", "std::env::var(\"{}\").unwrap_or_default()", false, {".rs"}},
      {"csharp", "//", "", "Environment.GetEnvironmentVariable(\"{}\")", false, {".cs"}},
      {"php", "//", "", "getenv('{}')", false, {".php"}},
      {"c", "//", "", "getenv(\"{}\")", false, {".c", ".h"}},
      {"cpp", "//", "", "getenv(\"{}\")", false, {".cpp", ".cc", ".cxx", ".hpp", ".hh", ".hxx"}},
      {"swift", "//", "", "ProcessInfo.processInfo.environment[\"{}\"]", false, {".swift"}},
      {"dart", "//", "", "Platform.environment['{}']", false, {".dart"}},
      {"lua", "--", "", "os.getenv(\"{}\")", false, {".lua"}},
      {"perl", "#", "", "$ENV{{}}", false, {".pl", ".pm"}},
      {"powershell", "#", "", "$env:{}", false, {".ps1", ".psm1"}},
      {"r", "#", "", "Sys.getenv(\"{}\")", false, {".r", ".R"}},
      {"elixir", "#", "", "System.get_env(\"{}\")", false, {".ex", ".exs"}},
      {"terraform", "#", "", "", false, {".tf", ".tfvars", ".hcl"}},
      {"toml", "#", "", "", false, {".toml"}},
      {"ini", ";", "", "", false, {".ini", ".cfg"}},
      {"sql", "--", "", "", false, {".sql"}},
      {"haskell", "--", "", "", false, {".hs"}},
      {"clojure", ";", "", "", false, {".clj", ".cljs", ".edn"}},
      {"erlang", "%", "", "", false, {".erl"}},
      {"latex", "%", "", "", false, {".tex"}},
      {"vim", "\"", "", "", false, {".vim"}},
      {"html", "<!--", "-->", "", false, {".html", ".htm"}},
      {"xml", "<!--", "-->", "", false, {".xml", ".svg", ".plist", ".config", ".csproj"}},
      {"markdown", "<!--", "-->", "", false, {".md", ".markdown"}},
      {"css", "/*", "*/", "", false, {".css"}},
      {"scss", "//", "", "", false, {".scss", ".less"}},
      {"jsonc", "//", "", "", false, {".jsonc"}},
      {"json", "", "", "", false, {".json", ".jsonl", ".ipynb"}},
  };
  return table;
}

const Language* find_language(std::string_view id) {
  for (const Language& l : languages()) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

std::string fill(std::string_view pattern, std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.compare(i, 2, "{}") == 0) {
      out.append(name);
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_name_char(char c) { return is_alnum(c) || c == '_' || c == '-' || c == '$'; }

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Words that may stand between an assigned name and its operator in a declaration (Go's `var key string =`):
// the name is the word before them.
bool is_type_word(std::string_view w) {
  static constexpr std::array<std::string_view, 9> words = {"string", "String", "str",  "&str", "var",
                                                            "let",    "const",  "auto", "val"};
  for (std::string_view t : words) {
    if (w == t) return true;
  }
  return false;
}

// The name assigned to in `left` (the line before the value, ending in an assignment operator), or "".
std::string assigned_name(std::string_view left) {
  left = trim_right(left);
  // The operator; `==`, `!=`, `<=`, `>=` compare and assign nothing.
  static constexpr std::array<std::string_view, 5> operators = {":=", "=>", "?=", "=", ":"};
  std::string_view op;
  for (std::string_view o : operators) {
    if (left.size() >= o.size() && left.substr(left.size() - o.size()) == o) {
      op = o;
      break;
    }
  }
  if (op.empty()) return "";
  left.remove_suffix(op.size());
  if (op == "=" && !left.empty() &&
      (left.back() == '=' || left.back() == '!' || left.back() == '<' || left.back() == '>'))
    return "";
  // A type annotation (`API_KEY: str = `, `let key: &str = `): the name stands before its colon.
  if (op == "=") {
    for (std::size_t i = 0; i < left.size(); ++i) {
      if (left[i] == ':' && (i + 1 >= left.size() || left[i + 1] != ':') && (i == 0 || left[i - 1] != ':')) {
        left = left.substr(0, i);
        break;
      }
    }
  }
  left = trim_right(left);
  // A quoted key (`"apiKey": `, `'key' => `) or an index (`config["api_key"] = `).
  if (!left.empty() && left.back() == ']') left.remove_suffix(1);
  if (!left.empty() && (left.back() == '"' || left.back() == '\'')) {
    const char q = left.back();
    const std::size_t open = left.rfind(q, left.size() - 2);
    if (open == std::string_view::npos || left.size() < 2) return "";
    return std::string(left.substr(open + 1, left.size() - open - 2));
  }
  // The last name, or the one before a type word (`var key string`).
  for (int words = 0; words < 3; ++words) {
    std::size_t from = left.size();
    while (from > 0 && (is_name_char(left[from - 1]) || left[from - 1] == '.' || left[from - 1] == '&'))
      --from;
    std::string_view word = left.substr(from);
    left = trim_right(left.substr(0, from));
    if (word.empty()) return "";
    if (is_type_word(word) && !left.empty()) continue;
    const std::size_t dot = word.rfind('.');  // self.api_key, this.apiKey
    if (dot != std::string_view::npos) word.remove_prefix(dot + 1);
    while (!word.empty() && (word.front() == '$' || word.front() == '&')) word.remove_prefix(1);
    return std::string(word);
  }
  return "";
}

}  // namespace

std::string language_of(std::string_view language_id, std::string_view path) {
  if (find_language(language_id) != nullptr) return std::string(language_id);
  const std::size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  // .env, .env.local, production.env
  if (name == ".env" || name.substr(0, 5) == ".env.") return "dotenv";
  const std::size_t dot = name.rfind('.');
  const std::string_view extension = dot == std::string_view::npos ? std::string_view() : name.substr(dot);
  for (const Language& l : languages()) {
    for (std::string_view e : l.extensions) {
      if ((e.front() == '.' && e == extension) || e == name) return std::string(l.id);
    }
  }
  return "";
}

std::optional<ByteEdit> allow_comment_edit(std::string_view text, std::size_t line_begin,
                                           std::size_t line_end, std::string_view language) {
  const Language* l = find_language(language);
  std::string_view open = l != nullptr ? l->comment_open : "#";
  std::string_view close = l != nullptr ? l->comment_close : "";
  if (open.empty()) return std::nullopt;
  line_end = line_begin + trim_right(text.substr(line_begin, line_end - line_begin)).size();
  std::string comment = line_end > line_begin ? "  " : "";
  comment.append(open).append(" keygate:allow");
  if (!close.empty()) comment.append(" ").append(close);
  return ByteEdit{line_end, line_end, comment};
}

std::optional<ByteEdit> environment_edit(std::string_view text, std::size_t begin, std::size_t end,
                                         std::string_view language, std::string* variable) {
  const Language* l = find_language(language);
  if (l == nullptr || l->environment.empty() || begin >= end || end > text.size()) return std::nullopt;
  const std::size_t line_begin = begin == 0 ? 0 : text.rfind('\n', begin - 1) + 1;  // npos + 1 == 0
  std::size_t line_end = text.find('\n', begin);
  if (line_end == std::string_view::npos) line_end = text.size();
  if (end > line_end) return std::nullopt;  // a value over several lines
  // The literal: the value in its quotes, or unquoted to the end of its line (a trailing `;` or `,` and a
  // comment after it may follow).
  std::size_t literal_begin = begin, literal_end = end;
  const char before = begin > line_begin ? text[begin - 1] : '\0';
  if ((before == '"' || before == '\'' || before == '`') && end < line_end && text[end] == before) {
    literal_begin = begin - 1;
    literal_end = end + 1;
  } else {
    if (!l->bare_values) return std::nullopt;
    std::string_view rest = trim_right(text.substr(end, line_end - end));
    while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);
    if (!rest.empty() && rest.front() != '#') return std::nullopt;  // the secret is part of a longer value
  }
  const std::string name =
      environment_name(assigned_name(text.substr(line_begin, literal_begin - line_begin)));
  if (name.empty()) return std::nullopt;
  *variable = name;
  return ByteEdit{literal_begin, literal_end, fill(l->environment, name)};
}

std::string environment_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!is_alnum(c)) {
      if (!out.empty() && out.back() != '_') out += '_';
      continue;
    }
    // apiKey -> API_KEY, HTTPServer -> HTTP_SERVER
    if (is_upper(c) && i > 0 && !out.empty() && out.back() != '_' &&
        (is_lower(name[i - 1]) || is_digit(name[i - 1]) || (i + 1 < name.size() && is_lower(name[i + 1]))) &&
        is_alnum(name[i - 1]))
      out += '_';
    out += upper(c);
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty() || is_digit(out.front())) return "";
  return out;
}

}  // namespace keygate::lsp
