// Fuzz target: the archive stage (archive/reader.hpp) on any bytes: sniffed as every container kind by its
// first byte (which picks a magic prefix to put in front), read through libarchive with the limits, and the
// document reader (archive/document.hpp) on the same bytes as each kind of part. It must not crash, hang
// or leak (the spreadsheet readers, archive/spreadsheet.hpp, too); whatever it cannot read is a warning (an
// incomplete scan), never an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "archive/document.hpp"
#include "archive/reader.hpp"
#include "archive/spreadsheet.hpp"
#include "config/config.hpp"
#include "core/scanner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const keygate::RuleSet rules(keygate::default_config());
  static keygate::FindingCollector findings;  // dropped: only crashes, hangs and leaks count
  static keygate::Scanner scanner(rules, keygate::ScanSettings{}, findings);
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  // Magic prefixes, so that the fuzzer reaches each reader without having to find its magic first.
  static const std::string prefixes[] = {"",
                                         "PK\x03\x04",
                                         std::string("\x1f\x8b\x08", 3),
                                         "BZh91AY&SY",
                                         std::string("\xfd"
                                                     "7zXZ\0",
                                                     6),
                                         "\x28\xb5\x2f\xfd",
                                         "7z\xbc\xaf\x27\x1c",
                                         "Cr24\x03\x00\x00\x00"};
  const std::string bytes = prefixes[data[0] % 8] + rest;
  for (const auto part :
       {keygate::archive::DocumentPart::Paragraphs, keygate::archive::DocumentPart::Sheet,
        keygate::archive::DocumentPart::SharedStrings, keygate::archive::DocumentPart::Properties}) {
    (void)keygate::archive::document_text(rest, part);
  }
  // The spreadsheet readers (a parser each): the bytes as every kind of workbook part and as ods content.
  keygate::archive::Workbook book;
  for (const char* part : {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
                           "xl/worksheets/sheet1.xml"}) {
    book.hold(part, rest);
  }
  (void)book.texts();
  (void)keygate::archive::ods_sheets(rest);
  if (!keygate::archive::is_container(bytes.substr(0, 8000), 4)) return 0;
  keygate::Origin outer;
  outer.path = "fuzz.bin";
  (void)keygate::archive::read_container(bytes, outer, scanner);
  return 0;
}
