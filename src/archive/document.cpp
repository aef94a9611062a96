// This file implements the document reader (see document.hpp): one pass over an XML part, keeping
// character data and breaking lines where the part's layout says.
#include "archive/document.hpp"

#include <cstdint>

#include "util/utf8.hpp"

namespace keygate::archive {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// The element name without its namespace prefix ("w:p" -> "p").
std::string_view local_name(std::string_view name) {
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The value of attribute `name` (its local name) in the attribute text of a tag, or empty.
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

// Appends `text` with XML's entities decoded; an unknown or malformed entity is kept as written.
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

bool blank(std::string_view s) {
  for (const char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

// The text laid out as a part says: what ends a line, and (sheets) which line a row is on.
class Layout {
 public:
  explicit Layout(DocumentPart part) : part_(part) {}

  void text(std::string_view t, bool raw) {
    // Indentation between elements is not text anyone sees; a lone space in a run is.
    if (t.empty() || (blank(t) && t.find('\n') != std::string_view::npos)) return;
    if (raw) {
      out_.append(t);
    } else {
      append_decoded(out_, t);
    }
    since_break_ = true;
  }

  void open(std::string_view name, std::string_view attrs, bool empty) {
    const std::string_view local = local_name(name);
    if (local == "tab") {
      out_ += '\t';
    } else if (local == "s" && starts_with(name, "text:")) {  // ODF's run of spaces
      out_ += ' ';
    } else if (local == "br" || local == "cr" || local == "line-break") {
      out_ += ' ';  // a line break inside a paragraph keeps the paragraph one line
    } else if (part_ == DocumentPart::Sheet && local == "row") {
      const std::string_view r = attribute(attrs, "r");
      std::uint64_t row = 0;
      for (const char c : r) {
        if (c < '0' || c > '9' || row > 10000000) break;
        row = row * 10 + static_cast<std::uint64_t>(c - '0');
      }
      // Row N on line N (a sheet's rows come in order; a missing or backward r counts on from the last).
      // Past a spreadsheet's last row (1048576) r is not believed: a hostile r would make lines without end.
      if (row <= 1048576) {
        while (line_ + 1 < row) newline();
      }
    } else if (part_ == DocumentPart::Sheet && local == "c" && since_break_) {
      out_ += '\t';
    }
    if (empty) close(name);
  }

  void close(std::string_view name) {
    const std::string_view local = local_name(name);
    bool ends_line = false;
    switch (part_) {
      case DocumentPart::Paragraphs:
        ends_line = local == "p" || local == "h" || local == "comment";
        break;
      case DocumentPart::SharedStrings:
        ends_line = local == "si";
        break;
      case DocumentPart::Sheet:
        ends_line = local == "row";
        break;
      case DocumentPart::Properties:
        ends_line = since_break_;
        break;
      case DocumentPart::None:
        break;
    }
    if (ends_line) newline();
  }

  std::string take() { return std::move(out_); }

 private:
  void newline() {
    out_ += '\n';
    ++line_;
    since_break_ = false;
  }

  DocumentPart part_;
  std::string out_;
  std::uint64_t line_ = 0;    // lines ended so far
  bool since_break_ = false;  // text since the last line break
};

}  // namespace

DocumentPart document_part(std::string_view path) {
  if (!ends_with(path, ".xml")) return DocumentPart::None;
  if (starts_with(path, "docProps/") || path == "meta.xml") return DocumentPart::Properties;
  if (path == "xl/sharedStrings.xml") return DocumentPart::SharedStrings;
  if (starts_with(path, "xl/worksheets/") && path.find('/', 14) == std::string_view::npos)
    return DocumentPart::Sheet;
  if (starts_with(path, "xl/comments") || starts_with(path, "xl/threadedComments/"))
    return DocumentPart::Paragraphs;
  if (starts_with(path, "word/")) {
    const std::string_view name = path.substr(5);
    for (const std::string_view kind :
         {"document", "header", "footer", "comments", "footnotes", "endnotes"}) {
      if (starts_with(name, kind)) return DocumentPart::Paragraphs;
    }
    return DocumentPart::None;
  }
  if (starts_with(path, "ppt/slides/") || starts_with(path, "ppt/notesSlides/") ||
      starts_with(path, "ppt/comments/"))
    return DocumentPart::Paragraphs;
  if (path == "content.xml" || path == "styles.xml") return DocumentPart::Paragraphs;
  return DocumentPart::None;
}

std::string document_text(std::string_view xml, DocumentPart part) {
  Layout layout(part);
  std::size_t i = 0;
  while (i < xml.size()) {
    if (xml[i] != '<') {
      const std::size_t lt = xml.find('<', i);
      const std::size_t end = lt == std::string_view::npos ? xml.size() : lt;
      layout.text(xml.substr(i, end - i), false);
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
      layout.text(xml.substr(i + 9, stop - i - 9), true);
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
        layout.close(name);
      } else {
        layout.open(name, tag.substr(name_end), empty);
      }
    }
  }
  return layout.take();
}

}  // namespace keygate::archive
