// This file implements the Scanner (see scanner.hpp): the thread-safe meeting point of sources, detector
// and sink.
#include "core/scanner.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "detect/matcher.hpp"
#include "util/utf8.hpp"

namespace keygate {

std::vector<Finding> Scanner::detect(const Fragment& fragment) {
  bytes_ += fragment.text.size();
  ++fragments_;
  ScanGaps gaps;
  std::vector<Finding> found = keygate::detect(rules_, fragment, &gaps);
  warn_gaps(gaps, fragment.origin);
  return found;
}

void Scanner::scan(const Fragment& fragment) { add(detect(fragment)); }

std::vector<Finding> Scanner::detect_text(std::string_view text, const Origin& origin) {
  bytes_ += text.size();
  ++fragments_;
  ScanGaps gaps;
  std::vector<Finding> found = keygate::detect_in_text(rules_, text, origin, &gaps);
  warn_gaps(gaps, origin);
  return found;
}

void Scanner::warn_gaps(const ScanGaps& gaps, const Origin& origin) {
  if (!gaps.decode_cut) return;
  {
    std::lock_guard<std::mutex> lock(note_mutex_);
    if (!decode_cut_paths_.insert(origin.path).second) return;  // a file read in chunks: said once
  }
  warn(origin.path +
       ": decoding stopped at its bound and left encoded content unscanned; the scan is incomplete "
       "([decode] max_depth = 0 or --max-decode-depth 0 scans without decoding)");
}

std::vector<Finding> Scanner::detect_name(const Origin& origin) {
  return keygate::detect_in_path(rules_, origin);
}

void Scanner::scan_name(const Origin& origin) { add(detect_name(origin)); }

void Scanner::add(std::vector<Finding> findings) {
  for (Finding& f : findings) sink_.add(std::move(f));
}

void Scanner::note(const std::string& path, const std::string& what) {
  if (!settings_.verbose) return;
  std::lock_guard<std::mutex> lock(note_mutex_);
  std::fprintf(stderr, "keygate: %s: %s\n", escape_control(path).c_str(), what.c_str());  // E15
}

void Scanner::warn(const std::string& message) {
  incomplete_ = true;
  std::lock_guard<std::mutex> lock(note_mutex_);
  if (first_warning_.empty()) first_warning_ = message;
  std::fprintf(stderr, "keygate: warning: %s\n", escape_control(message).c_str());  // E15: names in it
}

std::string Scanner::first_warning() {
  std::lock_guard<std::mutex> lock(note_mutex_);
  return first_warning_;
}

bool looks_binary(std::string_view head) {
  return std::memchr(head.data(), '\0', std::min<std::size_t>(head.size(), 8000)) != nullptr;
}

void Scanner::note_dataset(const std::string& path) {
  std::lock_guard<std::mutex> lock(note_mutex_);
  datasets_.push_back(path);
}

std::vector<std::string> Scanner::datasets() {
  std::lock_guard<std::mutex> lock(note_mutex_);
  return datasets_;
}

}  // namespace keygate
