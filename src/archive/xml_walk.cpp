// This file implements the XML walker of the archive stage's document readers (see xml_walk.hpp).
#include "archive/xml_walk.hpp"

#include <cstdint>

#include "util/utf8.hpp"

namespace keygate::archive {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool blank(std::string_view s) {
  for (const char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace

std::string_view local_name(std::string_view name) {
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view attribute(std::string_view attrs, std::string_view name) {
  std::size_t i = 0;
  while (i < attrs.size()) {
    while (i < attrs.size() && (attrs[i] == ' ' || attrs[i] == '\t' || attrs[i] == '\n' || attrs[i] == '\r'))
      ++i;
    const std::size_t key_from = i;
    while (i < attrs.size() && attrs[i] != '=' && attrs[i] != ' ' && attrs[i] != '/') ++i;
    const std::string_view key = attrs.substr(key_from, i - key_from);
    if (i >= attrs.size() || attrs[i] != '=') {
      ++i;
      continue;
    }
    ++i;
    if (i >= attrs.size() || (attrs[i] != '"' && attrs[i] != '\'')) continue;
    const char quote = attrs[i++];
    const std::size_t value_from = i;
    while (i < attrs.size() && attrs[i] != quote) ++i;
    const std::string_view value = attrs.substr(value_from, i - value_from);
    ++i;
    if (local_name(key) == name) return value;
  }
  return {};
}

void append_decoded(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t amp = text.find('&', i);
    out.append(text.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i));
    if (amp == std::string_view::npos) return;
    const std::size_t semi = text.find(';', amp);
    const std::string_view name = semi == std::string_view::npos || semi - amp > 12
                                      ? std::string_view()
                                      : text.substr(amp + 1, semi - amp - 1);
    i = semi == std::string_view::npos ? text.size() : semi + 1;
    if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (name == "amp") {
      out += '&';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "apos") {
      out += '\'';
    } else if (name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      std::uint32_t code = 0;
      bool ok = name.size() > (hex ? 2u : 1u);
      for (std::size_t k = hex ? 2 : 1; ok && k < name.size(); ++k) {
        const char c = name[k];
        const int digit = c >= '0' && c <= '9'          ? c - '0'
                          : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                        : -1;
        ok = digit >= 0 && code < 0x110000;
        code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit < 0 ? 0 : digit);
      }
      if (ok) {
        append_utf8(out, static_cast<char32_t>(code));
      } else {
        out.append(text.substr(amp, i - amp));
      }
    } else {
      out.append(text.substr(amp, i - amp));
    }
  }
}

bool visible_text(std::string_view text) {
  return !text.empty() && !(blank(text) && text.find('\n') != std::string_view::npos);
}

void walk_xml(std::string_view xml, XmlHandler& handler) {
  std::size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] != '<') {
      const std::size_t lt = xml.find('<', i);
      const std::size_t end = lt == std::string_view::npos ? xml.size() : lt;
      handler.text(xml.substr(i, end - i), false);
      i = end;
      continue;
    }
    const std::string_view rest = xml.substr(i);
    if (starts_with(rest, "<!--")) {
      const std::size_t end = xml.find("-->", i + 4);
      i = end == std::string_view::npos ? xml.size() : end + 3;
    } else if (starts_with(rest, "<![CDATA[")) {
      const std::size_t end = xml.find("]]>", i + 9);
      const std::size_t stop = end == std::string_view::npos ? xml.size() : end;
      handler.text(xml.substr(i + 9, stop - i - 9), true);
      i = end == std::string_view::npos ? xml.size() : end + 3;
    } else if (starts_with(rest, "<?")) {
      const std::size_t end = xml.find("?>", i + 2);
      i = end == std::string_view::npos ? xml.size() : end + 2;
    } else {
      // A tag: up to the '>' outside quoted attribute values.
      std::size_t j = i + 1;
      char quote = 0;
      while (j < xml.size() && (quote != 0 || xml[j] != '>')) {
        if (quote != 0 && xml[j] == quote) {
          quote = 0;
        } else if (quote == 0 && (xml[j] == '"' || xml[j] == '\'')) {
          quote = xml[j];
        }
        ++j;
      }
      std::string_view tag = xml.substr(i + 1, (j < xml.size() ? j : xml.size()) - i - 1);
      i = j < xml.size() ? j + 1 : xml.size();
      if (tag.empty() || tag[0] == '!') continue;  // a DOCTYPE
      const bool closing = tag[0] == '/';
      if (closing) tag.remove_prefix(1);
      const bool empty = !closing && !tag.empty() && tag.back() == '/';
      if (empty) tag.remove_suffix(1);
      std::size_t name_end = 0;
      while (name_end < tag.size() && tag[name_end] != ' ' && tag[name_end] != '\t' &&
             tag[name_end] != '\n' && tag[name_end] != '\r')
        ++name_end;
      const std::string_view name = tag.substr(0, name_end);
      if (closing) {
        handler.close(name);
      } else {
        handler.open(name, tag.substr(name_end), empty);
      }
    }
  }
}

}  // namespace keygate::archive
