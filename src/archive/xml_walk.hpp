// This file declares the XML walker the document readers of the archive stage share (document.hpp,
// spreadsheet.hpp): one pass over a part's bytes, calling a handler for character data and tags. A small
// reader of keygate's own: only character data, element names and a few attributes matter, and it never
// fails (malformed XML gives what it can).
#pragma once

#include <string>
#include <string_view>

namespace keygate::archive {

// What walk_xml reports, in document order.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // Character data between tags: entities not yet decoded (append_decoded), unless `raw` (CDATA).
  virtual void text(std::string_view text, bool raw) = 0;
  // A start tag `name` (with its prefix) and its attribute text; `empty` for <x/> (close() follows).
  virtual void open(std::string_view name, std::string_view attrs, bool empty) = 0;
  virtual void close(std::string_view name) = 0;
};

// Walks `xml`: comments, processing instructions and DOCTYPEs are skipped, CDATA is raw text.
void walk_xml(std::string_view xml, XmlHandler& handler);

// The element name without its namespace prefix ("w:p" -> "p").
std::string_view local_name(std::string_view name);

// The value of attribute `name` (its local name) in the attribute text of a tag, or empty; not decoded.
std::string_view attribute(std::string_view attrs, std::string_view name);

// Appends `text` with XML's entities decoded; an unknown or malformed entity is kept as written.
void append_decoded(std::string& out, std::string_view text);

// False for text nobody sees: empty, or indentation between elements (blank with a line break); a lone
// space in a run is seen.
bool visible_text(std::string_view text);

}  // namespace keygate::archive
