// This file implements `keygate redact`, a sink that rewrites text instead of reporting on it: every
// finding of the active rules is replaced by its redacted form (or a mask), and in JSON the values of
// sensitive fields are blanked. All other bytes pass through unchanged (invalid UTF-8 and CRLF included).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/scanner.hpp"
#include "core/source.hpp"

namespace keygate {

enum class RedactFormat { Auto, Text, Json, Jsonl };

struct RedactOptions {
  // Empty: each secret becomes its redacted form (tgp_v1_…Ab3d). Otherwise this text, with "{rule}"
  // replaced by the rule id, e.g. "[REDACTED:{rule}]".
  std::string mask;
  // JSON member names whose values are replaced by "[REDACTED]" at any depth (compared lower-case).
  std::vector<std::string> fields = {"api_key", "prompt_content", "fine_tune_dataset", "model_output",
                                     "system_prompt"};
  RedactFormat format = RedactFormat::Auto;
};

struct RedactStats {
  std::uint64_t secrets = 0;             // secrets replaced
  std::uint64_t fields = 0;              // sensitive JSON values replaced
  std::uint64_t invalid_json_lines = 0;  // lines of a JSON Lines stream that were not JSON (redacted as text)
};

// The largest piece of a line scanned at once; longer lines are redacted in pieces that overlap by
// kRedactOverlap bytes (as much as the detector's own chunks overlap), so a secret (or an encoded span)
// across a piece boundary is still replaced. Memory is bounded by this, whatever the input.
inline constexpr std::size_t kRedactPiece = 4u << 20;
inline constexpr std::size_t kRedactOverlap = kChunkOverlap;
// An unfinished private key ("-----BEGIN ... PRIVATE KEY-----" and lines a key's body can hold) is held
// until its "-----END " line, up to this many bytes; a live stream that goes quiet for 2 s while one is
// held gets the header and, masked, the body lines so far (and the body lines that follow, until one
// cannot be part of a key).
inline constexpr std::size_t kRedactHold = 64u << 10;

// Redacts `text` found at `path` (for rules with a path condition) and returns the new text. With
// `as_json`, `text` is one JSON value: sensitive fields are blanked first (json_blank.hpp); *was_json is
// set false when it is not valid JSON (the fields before the fault are blanked all the same).
std::string redact_record(Scanner& scanner, const RedactOptions& options, std::string_view path,
                          std::string_view text, bool as_json, RedactStats& stats, bool* was_json = nullptr);

// Copies file descriptor `in` to `out` with every secret redacted (for a secret found decoded, the whole
// encoded span it came from), and JSON fields blanked: every line that is JSON in JSON Lines and Auto
// format, the document in Json format. UTF-16 input (as `scan` detects it) is written back as UTF-16.
// `name` is for messages and for rules with a path condition. Output is flushed after each batch of lines
// when `line_buffered` (a pipe or a terminal: `tail -f app.log | keygate redact` shows each line as it
// comes). Time is linear in the input and memory bounded (kRedactPiece, kRedactOverlap, kRedactHold),
// however long its lines or records. Throws Error on a read or write error, naming `name`.
void redact_stream(Scanner& scanner, const RedactOptions& options, int in, int out, const std::string& name,
                   bool line_buffered, RedactStats& stats);

// `keygate redact`'s inputs: standard input (no `paths`, or "-") to standard output, line-buffered when it
// is a pipe or a terminal; each file to standard output, or rewritten in place with `in_place`. A file's
// format, when `options` leaves it to content, follows its name (.jsonl, .json). An input that fails is
// reported on stderr and the others go on. Returns true iff every input was redacted.
bool redact_inputs(Scanner& scanner, const RedactOptions& options, const std::vector<std::string>& paths,
                   bool in_place, RedactStats& stats);

// Rewrites the file at `path` in place (in_place.cpp): the redacted copy is written to a file with no name
// (FileReplacement, util/file_io.hpp), then renamed over it; mode and owner kept. The file is either the
// old one or the new one, never partial, and no temporary file is left, whatever happens. A symbolic link
// is followed (a note on stderr says so) and its target rewritten. Refused with an Error, the file
// unchanged: anything but a regular file (a FIFO, a device, a directory), a file with other hard links
// (they would keep the secret), a file open for writing by another process or written to during the run
// (its new lines would go to the replaced file).
void redact_file_in_place(Scanner& scanner, const RedactOptions& options, const std::string& path,
                          RedactStats& stats);

}  // namespace keygate
