// This file implements the spreadsheet reader of the archive stage (see spreadsheet.hpp): handlers for
// xml_walk.hpp that keep a sheet's row and column as they go.
#include "archive/spreadsheet.hpp"

#include "archive/document.hpp"
#include "archive/xml_walk.hpp"

namespace keygate::archive {
namespace {

// A small non-negative number in an attribute ("7", "1048576"); `fallback` when absent or malformed.
std::uint64_t number(std::string_view digits, std::uint64_t fallback) {
  if (digits.empty() || digits.size() > 9) return fallback;
  std::uint64_t n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return fallback;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

// "B7" -> column 2, row 7; false when it is not a cell reference.
bool parse_reference(std::string_view ref, std::uint32_t& column, std::uint32_t& row) {
  std::size_t i = 0;
  std::uint64_t col = 0;
  while (i < ref.size() && i < 3 && ref[i] >= 'A' && ref[i] <= 'Z') col = col * 26 + (ref[i++] - 'A' + 1);
  const std::uint64_t r = number(ref.substr(i), 0);
  if (col == 0 || r == 0) return false;
  column = static_cast<std::uint32_t>(col);
  row = static_cast<std::uint32_t>(r);
  return true;
}

void add_text(std::string& out, std::string_view text, bool raw) {
  if (!visible_text(text)) return;
  if (raw) {
    out.append(text);
  } else {
    append_decoded(out, text);
  }
}

// Collects the attribute `value_of` of each element `element`, keyed by attribute `key_of`.
class AttributeMap : public XmlHandler {
 public:
  AttributeMap(std::string_view element, std::string_view key_of, std::string_view value_of)
      : element_(element), key_of_(key_of), value_of_(value_of) {}
  void text(std::string_view, bool) override {}
  void open(std::string_view name, std::string_view attrs, bool) override {
    if (local_name(name) != element_) return;
    std::string key, value;
    append_decoded(key, attribute(attrs, key_of_));
    append_decoded(value, attribute(attrs, value_of_));
    if (!key.empty()) map_.emplace(std::move(key), std::move(value));
  }
  void close(std::string_view) override {}
  std::map<std::string, std::string> take() { return std::move(map_); }

 private:
  std::string_view element_, key_of_, value_of_;
  std::map<std::string, std::string> map_;
};

class SharedStrings : public XmlHandler {
 public:
  void text(std::string_view t, bool raw) override {
    if (in_t_ && !strings_.empty()) add_text(strings_.back(), t, raw);
  }
  void open(std::string_view name, std::string_view, bool empty) override {
    const std::string_view local = local_name(name);
    if (local == "si") strings_.emplace_back();
    if (local == "t" && !empty) in_t_ = true;
  }
  void close(std::string_view name) override {
    if (local_name(name) == "t") in_t_ = false;
  }
  std::vector<std::string> take() { return std::move(strings_); }

 private:
  std::vector<std::string> strings_;
  bool in_t_ = false;
};

// xl/comments*.xml and xl/threadedComments/*.xml: each comment's text at the cell its `ref` names.
class XlsxComments : public XmlHandler {
 public:
  void text(std::string_view t, bool raw) override {
    if (in_comment_) add_text(text_, t, raw);
  }
  void open(std::string_view name, std::string_view attrs, bool empty) override {
    const std::string_view local = local_name(name);
    if (local == "comment" || local == "threadedComment") {
      in_comment_ = parse_reference(attribute(attrs, "ref"), column_, row_);
      text_.clear();
    } else if (in_comment_ && (local == "r" || local == "text") && !text_.empty() && text_.back() != ' ') {
      text_ += ' ';
    }
    if (empty) close(name);
  }
  void close(std::string_view name) override {
    const std::string_view local = local_name(name);
    if ((local == "comment" || local == "threadedComment") && in_comment_) {
      if (!text_.empty()) cells_.push_back({row_, column_, text_});
      in_comment_ = false;
    }
  }
  std::vector<Cell> take() { return std::move(cells_); }

 private:
  std::vector<Cell> cells_;
  std::uint32_t row_ = 0, column_ = 0;
  bool in_comment_ = false;
  std::string text_;
};

class XlsxSheet : public XmlHandler {
 public:
  XlsxSheet(const std::vector<std::string>& shared, std::vector<bool>& used) : shared_(shared), used_(used) {}

  void text(std::string_view t, bool raw) override {
    if (!in_cell_) return;
    if (in_ == In::Value) add_text(value_, t, raw);
    if (in_ == In::Inline) add_text(inline_, t, raw);
    if (in_ == In::Formula) add_text(formula_, t, raw);
  }
  void open(std::string_view name, std::string_view attrs, bool empty) override {
    const std::string_view local = local_name(name);
    if (local == "row") {
      row_ = static_cast<std::uint32_t>(number(attribute(attrs, "r"), row_ + 1ull));
      column_ = 0;
    } else if (local == "c") {
      std::uint32_t column = 0, row = 0;
      if (parse_reference(attribute(attrs, "r"), column, row)) {
        column_ = column;
        row_ = row;
      } else {
        ++column_;
      }
      type_ = std::string(attribute(attrs, "t"));
      in_cell_ = true;
      value_.clear();
      inline_.clear();
      formula_.clear();
    } else if (in_cell_ && !empty) {
      if (local == "v") in_ = In::Value;
      if (local == "f") in_ = In::Formula;
      if (local == "t") in_ = In::Inline;  // <is><t> and <is><r><t>
    }
    if (empty) close(name);
  }
  void close(std::string_view name) override {
    const std::string_view local = local_name(name);
    if (local == "v" || local == "f" || local == "t") in_ = In::None;
    if (local != "c" || !in_cell_) return;
    in_cell_ = false;
    std::string shown = inline_;
    if (type_ == "s") {
      const std::uint64_t index = number(value_, shared_.size());
      if (index < shared_.size()) {
        shown = shared_[index];
        if (index < used_.size()) used_[index] = true;
      }
    } else if (shown.empty()) {
      shown = value_;
    }
    if (!formula_.empty()) shown += (shown.empty() ? "=" : " =") + formula_;
    if (!shown.empty()) cells_.push_back({row_, column_, std::move(shown)});
  }
  std::vector<Cell> take() { return std::move(cells_); }

 private:
  enum class In { None, Value, Inline, Formula };
  const std::vector<std::string>& shared_;
  std::vector<bool>& used_;
  std::vector<Cell> cells_;
  std::uint32_t row_ = 0, column_ = 0;
  bool in_cell_ = false;
  In in_ = In::None;
  std::string type_, value_, inline_, formula_;
};

class OdsSheets : public XmlHandler {
 public:
  void text(std::string_view t, bool raw) override {
    if (!in_table_) return;
    add_text(depth_in_cell_ > 0 ? cell_ : loose_, t, raw);
  }
  void open(std::string_view name, std::string_view attrs, bool empty) override {
    const std::string_view local = local_name(name);
    if (local == "table" && depth_in_cell_ == 0) {
      Sheet sheet;
      append_decoded(sheet.name, attribute(attrs, "name"));
      sheets_.push_back(std::move(sheet));
      in_table_ = true;
      row_ = 0;
    } else if (!in_table_) {
      // Outside a table (the document's own settings, forms): nothing of a sheet's.
    } else if (local == "table-row" && depth_in_cell_ == 0) {
      rows_repeated_ = number(attribute(attrs, "number-rows-repeated"), 1);
      if (rows_repeated_ == 0) rows_repeated_ = 1;
      row_start_ = row_ + 1;
      column_ = 0;
    } else if ((local == "table-cell" || local == "covered-table-cell") && depth_in_cell_ == 0) {
      columns_repeated_ = number(attribute(attrs, "number-columns-repeated"), 1);
      if (columns_repeated_ == 0) columns_repeated_ = 1;
      column_start_ = column_ + 1;
      depth_in_cell_ = 1;
      cell_.clear();
    } else if (depth_in_cell_ > 0) {
      if (local == "s" || local == "line-break") cell_ += ' ';
      if (local == "tab") cell_ += '\t';
      if (local == "p" && !cell_.empty()) cell_ += ' ';  // the paragraphs of one cell, on its one line
      if (!empty) ++depth_in_cell_;
    }
    if (empty && (local == "table-cell" || local == "covered-table-cell" || local == "table-row" ||
                  local == "table")) {
      close(name);
    }
  }
  void close(std::string_view name) override {
    const std::string_view local = local_name(name);
    if (!in_table_) return;
    if (depth_in_cell_ > 1) {
      --depth_in_cell_;
      return;
    }
    if (depth_in_cell_ == 1 && (local == "table-cell" || local == "covered-table-cell")) {
      depth_in_cell_ = 0;
      if (!cell_.empty())
        sheets_.back().cells.push_back({saturate(row_start_), saturate(column_start_), cell_});
      column_ += columns_repeated_;
    } else if (local == "table-row") {
      row_ += rows_repeated_;
    } else if (local == "table") {
      if (!loose_.empty()) sheets_.back().cells.push_back({0, 0, std::move(loose_)});
      loose_.clear();
      in_table_ = false;
    }
  }
  std::vector<Sheet> take() { return std::move(sheets_); }

 private:
  static std::uint32_t saturate(std::uint64_t n) {
    return n > 0xffffffffu ? 0xffffffffu : static_cast<std::uint32_t>(n);
  }
  std::vector<Sheet> sheets_;
  bool in_table_ = false;
  int depth_in_cell_ = 0;  // 1 inside a cell, more inside its paragraphs and spans
  std::uint64_t row_ = 0, row_start_ = 0, rows_repeated_ = 1;
  std::uint64_t column_ = 0, column_start_ = 0, columns_repeated_ = 1;
  std::string cell_, loose_;
};

// The comments parts of a workbook, held with it so that each comment is placed at its cell.
bool comments_part(std::string_view path) {
  return path.substr(path.size() < 4 ? 0 : path.size() - 4) == ".xml" &&
         ((path.rfind("xl/comments", 0) == 0 && path.find('/', 3) == std::string_view::npos) ||
          (path.rfind("xl/threadedComments/", 0) == 0 && path.find('/', 20) == std::string_view::npos));
}

// A relationships part's targets, each made a path in the zip: relative to `dir` (with "../" steps), or
// from the zip's root when absolute.
std::map<std::string, std::string> relationship_targets(std::string_view rels_xml, const std::string& dir) {
  AttributeMap rels("Relationship", "Id", "Target");
  walk_xml(rels_xml, rels);
  std::map<std::string, std::string> out = rels.take();
  for (auto& [id, target] : out) {
    if (target.rfind('/', 0) == 0) {
      target.erase(0, 1);
      continue;
    }
    std::string base = dir;  // "xl/worksheets/" + "../comments1.xml" -> "xl/comments1.xml"
    std::string_view rest = target;
    while (rest.rfind("../", 0) == 0) {
      rest.remove_prefix(3);
      const std::size_t slash = base.size() >= 2 ? base.rfind('/', base.size() - 2) : std::string::npos;
      base.erase(slash == std::string::npos ? 0 : slash + 1);
    }
    target = base + std::string(rest);
  }
  return out;
}

}  // namespace

std::string cell_reference(std::uint32_t column, std::uint32_t row) {
  std::string letters;
  for (std::uint64_t c = column; c > 0; c = (c - 1) / 26)
    letters.insert(letters.begin(), char('A' + (c - 1) % 26));
  return letters + std::to_string(row);
}

std::string cell_place(std::string_view sheet, const Cell& cell) {
  bool plain = !sheet.empty();
  for (const char c : sheet) {
    const bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    plain = plain && ok;
  }
  std::string out;
  if (plain) {
    out = sheet;
  } else {
    out = "'";
    for (const char c : sheet) out += c == '\'' ? std::string("''") : std::string(1, c);
    out += "'";
  }
  if (cell.row == 0) return out;  // text of the sheet outside its cells
  return out + "!" + cell_reference(cell.column, cell.row);
}

std::map<std::string, std::string> workbook_sheet_names(std::string_view workbook_xml) {
  AttributeMap sheets("sheet", "id", "name");
  walk_xml(workbook_xml, sheets);
  return sheets.take();
}

std::map<std::string, std::string> workbook_relationships(std::string_view rels_xml) {
  return relationship_targets(rels_xml, "xl/");
}

std::vector<std::string> shared_strings(std::string_view xml) {
  SharedStrings strings;
  walk_xml(xml, strings);
  return strings.take();
}

std::vector<Cell> xlsx_cells(std::string_view sheet_xml, const std::vector<std::string>& shared,
                             std::vector<bool>& used) {
  XlsxSheet sheet(shared, used);
  walk_xml(sheet_xml, sheet);
  return sheet.take();
}

bool is_ods_content(std::string_view content_xml) {
  return content_xml.find("<office:spreadsheet") != std::string_view::npos;
}

std::vector<Sheet> ods_sheets(std::string_view content_xml) {
  OdsSheets sheets;
  walk_xml(content_xml, sheets);
  return sheets.take();
}

std::string cells_text(const std::vector<Cell>& cells) {
  std::string text;
  for (const Cell& cell : cells) {
    for (const char c : cell.text) text += c == '\n' || c == '\r' ? ' ' : c;
    text += '\n';
  }
  return text;
}

bool Workbook::holds(std::string_view path) {
  if (path == "xl/workbook.xml" || path == "xl/_rels/workbook.xml.rels" || path == "xl/sharedStrings.xml")
    return true;
  if (comments_part(path)) return true;
  if (path.rfind("xl/worksheets/_rels/", 0) == 0 && path.find('/', 20) == std::string_view::npos &&
      path.size() > 25 && path.substr(path.size() - 5) == ".rels")
    return true;
  return path.rfind("xl/worksheets/", 0) == 0 && path.find('/', 14) == std::string_view::npos &&
         path.size() > 18 && path.substr(path.size() - 4) == ".xml";
}

void Workbook::hold(const std::string& path, std::string xml) {
  bytes_ += xml.size();
  if (path == "xl/workbook.xml") {
    workbook_ = std::move(xml);
  } else if (path == "xl/_rels/workbook.xml.rels") {
    rels_ = std::move(xml);
  } else if (path == "xl/sharedStrings.xml") {
    shared_ = std::move(xml);
  } else if (comments_part(path)) {
    comments_.emplace_back(path, std::move(xml));
  } else if (path.rfind("xl/worksheets/_rels/", 0) == 0) {
    sheet_rels_.emplace_back(path, std::move(xml));
  } else {
    sheets_.emplace_back(path, std::move(xml));
  }
}

std::vector<SheetText> Workbook::texts() const {
  const std::map<std::string, std::string> names = workbook_sheet_names(workbook_);
  const std::map<std::string, std::string> rels = workbook_relationships(rels_);
  std::map<std::string, std::string> name_of_part;
  for (const auto& [id, name] : names) {
    if (const auto it = rels.find(id); it != rels.end()) name_of_part[it->second] = name;
  }
  const std::vector<std::string> shared = shared_strings(shared_);
  std::vector<bool> used(shared.size(), false);
  std::vector<SheetText> out;
  for (const auto& [part, xml] : sheets_) {
    SheetText sheet;
    sheet.part = part;
    if (const auto it = name_of_part.find(part); it != name_of_part.end()) {
      sheet.sheet = it->second;
    } else {  // no workbook part naming it: "sheet3" for xl/worksheets/sheet3.xml
      sheet.sheet = part.substr(14, part.size() - 18);
    }
    sheet.cells = xlsx_cells(xml, shared, used);
    sheet.text = cells_text(sheet.cells);
    out.push_back(std::move(sheet));
  }
  // Comments: at their cell of the sheet whose relationships name them; else by paragraph in their part.
  std::map<std::string, std::string> sheet_of_comments;
  for (const auto& [rels_path, xml] : sheet_rels_) {
    // xl/worksheets/_rels/sheet1.xml.rels -> xl/worksheets/sheet1.xml
    const std::string sheet_part = "xl/worksheets/" + rels_path.substr(20, rels_path.size() - 25);
    for (const auto& [id, target] : relationship_targets(xml, "xl/worksheets/")) {
      (void)id;
      sheet_of_comments[target] = sheet_part;
    }
  }
  for (const auto& [part, xml] : comments_) {
    SheetText comments;
    comments.part = part;
    const auto sheet = sheet_of_comments.find(part);
    const auto name =
        sheet == sheet_of_comments.end() ? name_of_part.end() : name_of_part.find(sheet->second);
    if (sheet != sheet_of_comments.end()) {
      comments.sheet =
          name != name_of_part.end() ? name->second : sheet->second.substr(14, sheet->second.size() - 18);
      XlsxComments walker;
      walk_xml(xml, walker);
      comments.cells = walker.take();
      comments.text = cells_text(comments.cells);
    } else {
      comments.text = document_text(xml, DocumentPart::Paragraphs);
    }
    out.push_back(std::move(comments));
  }
  SheetText unused;
  unused.part = "xl/sharedStrings.xml";
  bool any = false;
  for (std::size_t i = 0; i < shared.size(); ++i) {
    if (!used[i]) {
      for (const char c : shared[i]) unused.text += c == '\n' || c == '\r' ? ' ' : c;
      any = any || !shared[i].empty();
    }
    unused.text += '\n';
  }
  if (any) out.push_back(std::move(unused));
  return out;
}

}  // namespace keygate::archive
