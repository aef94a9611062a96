// Tests for archive/document.cpp: OOXML and OpenDocument parts read as the text a person sees.
#include <catch2/catch.hpp>

#include "archive/document.hpp"

using namespace keygate::archive;

TEST_CASE("document_part: which parts are documents") {
  CHECK(document_part("word/document.xml") == DocumentPart::Paragraphs);
  CHECK(document_part("word/header1.xml") == DocumentPart::Paragraphs);
  CHECK(document_part("word/styles.xml") == DocumentPart::None);
  CHECK(document_part("xl/sharedStrings.xml") == DocumentPart::SharedStrings);
  CHECK(document_part("xl/worksheets/sheet2.xml") == DocumentPart::Sheet);
  CHECK(document_part("ppt/notesSlides/notesSlide1.xml") == DocumentPart::Paragraphs);
  CHECK(document_part("docProps/core.xml") == DocumentPart::Properties);
  CHECK(document_part("content.xml") == DocumentPart::Paragraphs);
  CHECK(document_part("app/config.xml") == DocumentPart::None);
  CHECK(document_part("word/_rels/document.xml.rels") == DocumentPart::None);
}

TEST_CASE("document_text: runs of one paragraph are one line, each paragraph its own") {
  const std::string xml =
      "<?xml version=\"1.0\"?>\n<w:document><w:body>\n  <w:p><w:r><w:t>first</w:t></w:r></w:p>\n"
      "  <w:p><w:r><w:t>tgp_</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t "
      "xml:space=\"preserve\">v1_ab</w:t></w:r>"
      "<w:r><w:t>&amp;c&#x41;&#66;</w:t></w:r></w:p>\n</w:body></w:document>";
  CHECK(document_text(xml, DocumentPart::Paragraphs) == "first\ntgp_v1_ab&cAB\n");
}

TEST_CASE("document_text: a sheet's row N is line N; shared strings one a line; properties one a line") {
  const std::string sheet =
      "<worksheet><sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>name</t></is></c>"
      "<c r=\"B2\"><v>42</v></c></row><row r=\"4\"><c r=\"A4\"><v>7</v></c></row></sheetData></worksheet>";
  CHECK(document_text(sheet, DocumentPart::Sheet) == "\nname\t42\n\n7\n");
  const std::string sst = "<sst><si><t>one</t></si><si><r><t>tw</t></r><r><t>o</t></r></si></sst>";
  CHECK(document_text(sst, DocumentPart::SharedStrings) == "one\ntwo\n");
  const std::string props =
      "<cp:coreProperties><dc:title>T</dc:title>\n<dc:subject>S</dc:subject></cp:coreProperties>";
  CHECK(document_text(props, DocumentPart::Properties) == "T\nS\n");
}

TEST_CASE("document_text: OpenDocument spaces, tabs, comments and CDATA") {
  const std::string xml =
      "<office:text><text:p>a<text:s/>b<text:tab/>c<!-- x --><![CDATA[<d>]]></text:p>"
      "<text:h>head<text:span>ing</text:span></text:h></office:text>";
  CHECK(document_text(xml, DocumentPart::Paragraphs) == "a b\tc<d>\nheading\n");
}

TEST_CASE("document_text: malformed XML gives what it can and never fails") {
  CHECK(document_text("<w:p><w:t>open", DocumentPart::Paragraphs) == "open");
  CHECK(document_text("<<<>>>&#xFFFFFFFFFF;&", DocumentPart::Paragraphs) == ">>&#xFFFFFFFFFF;&");
  CHECK(document_text("<a b='>'>x</a><!-- never closed", DocumentPart::Properties) == "x\n");
  CHECK(document_text("<row r=\"99999999999999\">", DocumentPart::Sheet).size() < 20000000);
}
