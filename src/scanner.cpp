// This file implements the Scanner (see source.hpp): the thread-safe meeting point of sources and detector.
#include <cstdio>
#include <algorithm>
#include <cstring>

#include "source.hpp"
#include "utf8.hpp"

namespace keygate {

void Scanner::scan(const Fragment& fragment) {
  bytes_ += fragment.text.size();
  ++fragments_;
  std::vector<Finding> found = keygate::scan(rules_, fragment);
  if (!found.empty()) add(std::move(found));
}

void Scanner::scan_name(std::string_view path) {
  std::vector<Finding> found = keygate::scan_path(rules_, path);
  if (!found.empty()) add(std::move(found));
}

void Scanner::add(std::vector<Finding> findings) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (Finding& f : findings) findings_.push_back(std::move(f));
}

void Scanner::note(const std::string& path, const std::string& what) {
  if (!settings_.verbose) return;
  std::lock_guard<std::mutex> lock(mutex_);
  std::fprintf(stderr, "keygate: %s: %s\n", escape_control(path).c_str(), what.c_str());  // E15
}

void Scanner::warn(const std::string& message) {
  incomplete_ = true;
  std::lock_guard<std::mutex> lock(mutex_);
  std::fprintf(stderr, "keygate: warning: %s\n", escape_control(message).c_str());  // E15: names in it
}

std::vector<Finding> Scanner::take_findings() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(findings_);
}

bool looks_binary(std::string_view head) {
  return std::memchr(head.data(), '\0', std::min<std::size_t>(head.size(), 8000)) != nullptr;
}

}  // namespace keygate
