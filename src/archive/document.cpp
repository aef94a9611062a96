// This file implements the document reader (see document.hpp): one pass over an XML part, keeping
// character data and breaking lines where the part's layout says.
#include "archive/document.hpp"

#include <cstdint>

#include "archive/xml_walk.hpp"

namespace keygate::archive {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// The text laid out as a part says: what ends a line, and (sheets) which line a row is on.
class Layout : public XmlHandler {
 public:
  explicit Layout(DocumentPart part) : part_(part) {}

  void text(std::string_view t, bool raw) override {
    if (!visible_text(t)) return;
    if (raw) {
      out_.append(t);
    } else {
      append_decoded(out_, t);
    }
    since_break_ = true;
  }

  void open(std::string_view name, std::string_view attrs, bool empty) override {
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

  void close(std::string_view name) override {
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
  walk_xml(xml, layout);
  return layout.take();
}

}  // namespace keygate::archive
