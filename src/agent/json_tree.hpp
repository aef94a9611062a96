// This file implements a JSON document as a tree that can be changed and written back: what `keygate
// install --agent` needs to merge its hooks into an agent's settings file while keeping every other key,
// value and member order. Parsing goes through the one validating reader (json_walk.hpp); numbers keep
// their text, so nothing is rounded on the way through.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keygate {

class JsonNode {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  JsonNode() = default;
  static JsonNode string(std::string text);
  static JsonNode boolean(bool value);
  static JsonNode number(long value);
  static JsonNode object();
  static JsonNode array();

  Kind kind() const { return kind_; }
  bool is_object() const { return kind_ == Kind::Object; }
  bool is_array() const { return kind_ == Kind::Array; }
  bool is_string() const { return kind_ == Kind::String; }
  // A string's text (unescaped); a number's, true's, false's or null's JSON text.
  const std::string& text() const { return text_; }

  // An object's members in document order; an array's items (their keys empty).
  const std::vector<std::pair<std::string, JsonNode>>& members() const { return members_; }
  std::vector<std::pair<std::string, JsonNode>>& members() { return members_; }

  // The object member called `key`, or nullptr. (The first one, should a document repeat a key.)
  const JsonNode* find(std::string_view key) const;
  JsonNode* find(std::string_view key);
  // The member called `key`, appended as `value` when there is none. REQUIRES: is_object().
  JsonNode& member(std::string_view key, JsonNode value);
  // Removes the member called `key`, if any. REQUIRES: is_object().
  void erase(std::string_view key);
  // Appends an array item. REQUIRES: is_array().
  void push_back(JsonNode item) { members_.emplace_back(std::string(), std::move(item)); }

  bool operator==(const JsonNode& other) const = default;

 private:
  friend JsonNode parse_json_tree(std::string_view text, const std::string& name);
  Kind kind_ = Kind::Null;
  std::string text_ = "null";
  std::vector<std::pair<std::string, JsonNode>> members_;
};

// The tree of `text`, one JSON value. Throws Error("NAME:LINE:COLUMN: not valid JSON: WHY") naming the
// place where the text stops being valid JSON.
JsonNode parse_json_tree(std::string_view text, const std::string& name);

// `node` as JSON text, indented by two spaces per level, ending with a newline.
std::string write_json_tree(const JsonNode& node);

}  // namespace keygate
