// This file implements the JSON tree (see json_tree.hpp): built from the walker's values, which come
// members first, so each container takes the finished values one level deeper than itself.
#include "agent/json_tree.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "report/report.hpp"
#include "util/json_walk.hpp"

namespace keygate {

JsonNode JsonNode::string(std::string text) {
  JsonNode node;
  node.kind_ = Kind::String;
  node.text_ = std::move(text);
  return node;
}

JsonNode JsonNode::boolean(bool value) {
  JsonNode node;
  node.kind_ = Kind::Bool;
  node.text_ = value ? "true" : "false";
  return node;
}

JsonNode JsonNode::number(long value) {
  JsonNode node;
  node.kind_ = Kind::Number;
  node.text_ = std::to_string(value);
  return node;
}

JsonNode JsonNode::object() {
  JsonNode node;
  node.kind_ = Kind::Object;
  node.text_.clear();
  return node;
}

JsonNode JsonNode::array() {
  JsonNode node;
  node.kind_ = Kind::Array;
  node.text_.clear();
  return node;
}

const JsonNode* JsonNode::find(std::string_view key) const {
  for (const auto& [name, value] : members_) {
    if (name == key) return &value;
  }
  return nullptr;
}

JsonNode* JsonNode::find(std::string_view key) {
  return const_cast<JsonNode*>(static_cast<const JsonNode*>(this)->find(key));
}

JsonNode& JsonNode::member(std::string_view key, JsonNode value) {
  if (JsonNode* found = find(key)) return *found;
  members_.emplace_back(std::string(key), std::move(value));
  return members_.back().second;
}

void JsonNode::erase(std::string_view key) {
  members_.erase(
      std::remove_if(members_.begin(), members_.end(), [&](const auto& m) { return m.first == key; }),
      members_.end());
}

JsonNode parse_json_tree(std::string_view text, const std::string& name) {
  // Finished values waiting for their container, with their depth: a container at depth d takes every
  // pending value of depth d + 1 (they are its members, in order).
  struct Pending {
    int depth;
    std::string key;
    JsonNode node;
  };
  std::vector<Pending> pending;
  const auto visit = [&](const JsonValue& v) {
    JsonNode node;
    const char first = text[v.begin];
    if (first == '{' || first == '[') {
      node.kind_ = first == '{' ? JsonNode::Kind::Object : JsonNode::Kind::Array;
      node.text_.clear();
      auto from = pending.end();
      while (from != pending.begin() && std::prev(from)->depth == v.depth + 1) --from;
      for (auto it = from; it != pending.end(); ++it)
        node.members_.emplace_back(std::move(it->key), std::move(it->node));
      pending.erase(from, pending.end());
    } else if (first == '"') {
      node = JsonNode::string(json_string(text, v));
    } else {
      node.kind_ = first == 'n'                   ? JsonNode::Kind::Null
                   : first == 't' || first == 'f' ? JsonNode::Kind::Bool
                                                  : JsonNode::Kind::Number;
      node.text_ = std::string(text.substr(v.begin, v.end - v.begin));
    }
    pending.push_back({v.depth, std::string(v.key), std::move(node)});
  };
  JsonError error;
  if (!walk_json(text, visit, &error)) {
    const std::size_t at = std::min(error.at, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
    const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t column =
        at - (line_start == std::string_view::npos || at == 0 ? 0 : line_start + 1) + 1;
    throw Error(name + ":" + std::to_string(line) + ":" + std::to_string(column) +
                ": not valid JSON: " + error.what);
  }
  return std::move(pending.back().node);
}

namespace {

void write_node(const JsonNode& node, int indent, std::string& out) {
  switch (node.kind()) {
    case JsonNode::Kind::String:
      out += json_string(node.text());
      return;
    case JsonNode::Kind::Null:
    case JsonNode::Kind::Bool:
    case JsonNode::Kind::Number:
      out += node.text();
      return;
    case JsonNode::Kind::Array:
    case JsonNode::Kind::Object:
      break;
  }
  const bool object = node.is_object();
  if (node.members().empty()) {
    out += object ? "{}" : "[]";
    return;
  }
  out += object ? "{\n" : "[\n";
  const std::string inner(static_cast<std::size_t>(indent + 2), ' ');
  for (std::size_t i = 0; i < node.members().size(); ++i) {
    const auto& [key, value] = node.members()[i];
    out += inner;
    if (object) out += json_string(key) + ": ";
    write_node(value, indent + 2, out);
    out += i + 1 < node.members().size() ? ",\n" : "\n";
  }
  out += std::string(static_cast<std::size_t>(indent), ' ');
  out += object ? '}' : ']';
}

}  // namespace

std::string write_json_tree(const JsonNode& node) {
  std::string out;
  write_node(node, 0, out);
  out += '\n';
  return out;
}

}  // namespace keygate
