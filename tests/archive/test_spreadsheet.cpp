// Tests for archive/spreadsheet.cpp: cells of xlsx and ods sheets with their sheet and reference, shared
// strings resolved, repeated rows and cells counted, names quoted as Excel quotes them.
#include <catch2/catch.hpp>

#include "archive/spreadsheet.hpp"

using namespace keygate::archive;

TEST_CASE("cell_reference and cell_place: A1 notation, quoted sheet names") {
  CHECK(cell_reference(1, 1) == "A1");
  CHECK(cell_reference(26, 7) == "Z7");
  CHECK(cell_reference(27, 7) == "AA7");
  CHECK(cell_reference(16384, 1048576) == "XFD1048576");
  CHECK(cell_place("Sheet1", Cell{7, 2, "x"}) == "Sheet1!B7");
  CHECK(cell_place("Q1 keys", Cell{1, 1, "x"}) == "'Q1 keys'!A1");
  CHECK(cell_place("it's", Cell{1, 1, "x"}) == "'it''s'!A1");
  CHECK(cell_place("Notes", Cell{0, 0, "x"}) == "Notes");
}

TEST_CASE("xlsx: shared strings go to the cells that use them; inline strings and formulas are read") {
  const std::vector<std::string> shared = shared_strings(
      "<sst><si><t>a</t></si><si><r><t>b</t></r><r><t xml:space=\"preserve\"> c</t></r></si></sst>");
  REQUIRE(shared == std::vector<std::string>{"a", "b c"});
  std::vector<bool> used(shared.size(), false);
  const std::vector<Cell> cells = xlsx_cells(
      "<worksheet><sheetData><row r=\"3\"><c r=\"B3\" t=\"s\"><v>1</v></c><c "
      "t=\"inlineStr\"><is><t>in</t></is>"
      "</c></row><row><c r=\"A4\"><f>SUM(A1)</f><v>2</v></c><c r=\"B4\" "
      "t=\"s\"><v>99</v></c></row></sheetData>"
      "</worksheet>",
      shared, used);
  REQUIRE(cells.size() == 3);
  CHECK((cells[0].row == 3 && cells[0].column == 2 && cells[0].text == "b c"));
  CHECK((cells[1].row == 3 && cells[1].column == 3 && cells[1].text == "in"));
  CHECK((cells[2].row == 4 && cells[2].column == 1 && cells[2].text == "2 =SUM(A1)"));
  CHECK(used == std::vector<bool>{false, true});
}

TEST_CASE("xlsx: sheet names from the workbook through its relationships") {
  Workbook book;
  CHECK(Workbook::holds("xl/worksheets/sheet2.xml"));
  CHECK_FALSE(Workbook::holds("xl/worksheets/sheets/sheet2.xml"));
  book.hold("xl/workbook.xml", "<workbook><sheets><sheet name=\"Keys\" r:id=\"rId2\"/></sheets></workbook>");
  book.hold("xl/_rels/workbook.xml.rels",
            "<Relationships><Relationship Id=\"rId2\" Target=\"worksheets/sheet2.xml\"/>"
            "</Relationships>");
  book.hold("xl/worksheets/sheet2.xml",
            "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData>");
  book.hold("xl/worksheets/sheet5.xml", "<sheetData><row r=\"2\"><c r=\"C2\"><v>5</v></c></row></sheetData>");
  book.hold("xl/sharedStrings.xml", "<sst><si><t>used</t></si><si><t>spare</t></si></sst>");
  const std::vector<SheetText> texts = book.texts();
  REQUIRE(texts.size() == 3);
  CHECK((texts[0].sheet == "Keys" && texts[0].text == "used\n"));
  CHECK((texts[1].sheet == "sheet5" && texts[1].text == "5\n"));
  CHECK((texts[2].sheet.empty() && texts[2].part == "xl/sharedStrings.xml" && texts[2].text == "\nspare\n"));
}

TEST_CASE("ods: tables, repeated rows and cells, paragraphs of a cell on one line") {
  const std::string xml =
      "<office:spreadsheet><table:table table:name=\"T\"><table:table-row "
      "table:number-rows-repeated=\"1048570\">"
      "<table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row><table:table-row>"
      "<table:table-cell table:number-columns-repeated=\"3\"><text:p>x</text:p></table:table-cell>"
      "<table:table-cell><text:p>a<text:s/>b</text:p><text:p>c</text:p></table:table-cell></table:table-row>"
      "</table:table></office:spreadsheet>";
  CHECK(is_ods_content(xml));
  const std::vector<Sheet> sheets = ods_sheets(xml);
  REQUIRE(sheets.size() == 1);
  CHECK(sheets[0].name == "T");
  REQUIRE(sheets[0].cells.size() == 2);
  CHECK((sheets[0].cells[0].row == 1048571 && sheets[0].cells[0].column == 1 &&
         sheets[0].cells[0].text == "x"));
  CHECK((sheets[0].cells[1].column == 4 && sheets[0].cells[1].text == "a b c"));
}

TEST_CASE("spreadsheet readers never fail on malformed XML") {
  std::vector<bool> used;
  CHECK(xlsx_cells("<row r=\"99999999999\"><c r=\"ZZZZ0\"><v>1", {}, used).empty());
  CHECK(ods_sheets("<table:table-cell><text:p>no table").empty());
  CHECK(shared_strings("<si><t>open").size() == 1);
}

TEST_CASE("xlsx: comments and threaded comments are placed at the cell they annotate") {
  Workbook book;
  CHECK(Workbook::holds("xl/comments1.xml"));
  CHECK(Workbook::holds("xl/threadedComments/threadedComment1.xml"));
  CHECK(Workbook::holds("xl/worksheets/_rels/sheet1.xml.rels"));
  book.hold("xl/workbook.xml", "<workbook><sheets><sheet name=\"Keys\" r:id=\"rId1\"/></sheets></workbook>");
  book.hold("xl/_rels/workbook.xml.rels",
            "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
  book.hold("xl/worksheets/sheet1.xml", "<sheetData/>");
  book.hold("xl/worksheets/_rels/sheet1.xml.rels",
            "<Relationships><Relationship Id=\"rId2\" Target=\"../comments1.xml\"/>"
            "<Relationship Id=\"rId3\" Target=\"/xl/threadedComments/t1.xml\"/></Relationships>");
  book.hold("xl/comments1.xml",
            "<comments><commentList><comment ref=\"C5\"><text><r><t>a</t></r><r><t>b</t></r></text></comment>"
            "</commentList></comments>");
  book.hold("xl/threadedComments/t1.xml",
            "<ThreadedComments><threadedComment ref=\"D9\"><text>hi</text>"
            "</threadedComment></ThreadedComments>");
  book.hold("xl/comments9.xml",
            "<comments><comment ref=\"A1\"><text><t>lost</t></text></comment></comments>");
  const std::vector<SheetText> texts = book.texts();
  REQUIRE(texts.size() == 4);
  REQUIRE(texts[1].cells.size() == 1);
  CHECK((texts[1].sheet == "Keys" && texts[1].part == "xl/comments1.xml" && texts[1].text == "a b\n"));
  CHECK(cell_place(texts[1].sheet, texts[1].cells[0]) == "Keys!C5");
  CHECK((texts[2].sheet == "Keys" && texts[2].cells.at(0).row == 9 && texts[2].text == "hi\n"));
  CHECK((texts[3].sheet.empty() && texts[3].part == "xl/comments9.xml" && texts[3].text == "lost\n"));
}
