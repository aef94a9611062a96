// This file declares the spreadsheet reader of the archive stage: a workbook's parts -> its cells, each
// with its sheet and reference, so that a key in an .xlsx or .ods is placed at `Sheet1!B7` (the notation
// Excel and LibreOffice use) rather than at a line of XML. xlsx: the sheet names of xl/workbook.xml,
// matched to their parts through xl/_rels/workbook.xml.rels; shared strings resolved into the cells that
// use them; inline strings; formulas. ods: content.xml's tables, rows and cells counted with their
// number-rows-repeated / number-columns-repeated. Built on xml_walk.hpp; it never fails.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace keygate::archive {

struct Cell {
  std::uint32_t row = 0;     // 1-based
  std::uint32_t column = 0;  // 1-based (A = 1)
  std::string text;          // what the cell shows (and its formula after a blank, when it has one)
};

struct Sheet {
  std::string name;
  std::vector<Cell> cells;  // non-empty cells, in document order
};

// "B7" for column 2, row 7.
std::string cell_reference(std::uint32_t column, std::uint32_t row);

// How a place in a workbook is written: `Sheet1!B7`; a sheet name with anything but letters, digits, '_'
// and '.' is quoted as Excel quotes it ('Q1 keys'!B7, a quote doubled).
std::string cell_place(std::string_view sheet, const Cell& cell);

// xl/workbook.xml: each sheet's relationship id -> its name.
std::map<std::string, std::string> workbook_sheet_names(std::string_view workbook_xml);

// xl/_rels/workbook.xml.rels: each relationship id -> the part it names, as a path in the zip
// ("worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml").
std::map<std::string, std::string> workbook_relationships(std::string_view rels_xml);

// xl/sharedStrings.xml: shared string N at index N, its runs joined.
std::vector<std::string> shared_strings(std::string_view xml);

// A worksheet part's cells; a shared-string cell gets its string, and its index is marked in `used` (when
// in range). Rows and cells without an `r` count on from the one before.
std::vector<Cell> xlsx_cells(std::string_view sheet_xml, const std::vector<std::string>& shared,
                             std::vector<bool>& used);

// True iff an OpenDocument content.xml holds a spreadsheet (office:spreadsheet).
bool is_ods_content(std::string_view content_xml);

// An .ods content.xml's sheets. Text outside any cell (shapes, annotations of the sheet) is a cell at row
// and column 0. A repeated run of cells (or rows) with text gives one cell, the run's first.
std::vector<Sheet> ods_sheets(std::string_view content_xml);

// What a reader scans of a workbook: one text per sheet, line N holding cells[N-1] (a cell's line breaks
// made blanks). `part` is the zip entry the cells come from, `sheet` the sheet's name; for the shared
// strings no cell uses, `sheet` is empty and line N holds shared string N-1 (cells is then empty).
struct SheetText {
  std::string part;
  std::string sheet;
  std::vector<Cell> cells;
  std::string text;
};

// The text of `cells`, one a line.
std::string cells_text(const std::vector<Cell>& cells);

// An .xlsx's parts, held until its zip has been read: the shared strings usually come after the sheets that
// use them, and the sheet names are in other parts again.
class Workbook {
 public:
  // True iff the part at `path` is held: xl/workbook.xml, its rels, xl/sharedStrings.xml, worksheets,
  // their rels, comments (placed at their cell) and threaded comments.
  static bool holds(std::string_view path);
  void hold(const std::string& path, std::string xml);
  bool empty() const { return sheets_.empty() && shared_.empty(); }
  std::uint64_t bytes() const { return bytes_; }
  // Each sheet's cells (named from the workbook, else after the part: "sheet3"), each comments part's
  // (at the cells they annotate), then the shared strings no cell uses.
  std::vector<SheetText> texts() const;

 private:
  std::string workbook_, rels_, shared_;
  std::vector<std::pair<std::string, std::string>> sheets_;      // part path, its XML
  std::vector<std::pair<std::string, std::string>> sheet_rels_;  // xl/worksheets/_rels/*.rels
  std::vector<std::pair<std::string, std::string>> comments_;    // xl/comments*.xml, threaded comments
  std::uint64_t bytes_ = 0;
};

}  // namespace keygate::archive
