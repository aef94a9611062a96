// This file declares the document reader of the archive stage: the XML parts of an OOXML (docx, xlsx,
// pptx) or OpenDocument (odt, ods, odp) file -> the text a person sees, so that a key that Word split
// across runs (<w:t>tgp_v1_</w:t><w:t>...</w:t>) is one string again. A small reader of its own: only
// character data and a few element names matter, and it never fails (malformed XML gives what it can).
#pragma once

#include <string>
#include <string_view>

namespace keygate::archive {

// How a part's text is laid out in lines, so that a finding's line says where it is.
enum class DocumentPart {
  None,           // not a document part: scanned as it is
  Paragraphs,     // one line per paragraph or heading (w:p, a:p, text:p, text:h), per comment (xlsx)
  SharedStrings,  // xl/sharedStrings.xml: line N is shared string N-1
  Sheet,          // xl/worksheets/sheetN.xml: line N is row N, its cells separated by tabs
  Properties,     // docProps/*.xml, meta.xml: one line per property
};

// The kind of document part at `path` inside a zip (word/document.xml, headers, footers, comments,
// footnotes, slides, notes, shared strings, sheets, docProps; content.xml, styles.xml, meta.xml), or None.
DocumentPart document_part(std::string_view path);

// The visible text of the XML `xml`, laid out as `part` says: character data joined (entities decoded,
// CDATA kept), markup and attributes dropped, indentation between elements dropped.
std::string document_text(std::string_view xml, DocumentPart part);

}  // namespace keygate::archive
