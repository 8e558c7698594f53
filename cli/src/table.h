#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace landlord::cli {

enum class Align { Left, Right };

struct Column {
  std::string header;
  Align align = Align::Left;
};

// A table aligned for humans: numbers right-aligned, two spaces between columns.
class Table {
 public:
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // Throws std::logic_error when the row has the wrong number of cells.
  void addRow(std::vector<std::string> cells);
  void print(std::ostream& out) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace landlord::cli
