#include "table.h"

#include <algorithm>
#include <ostream>
#include <stdexcept>

namespace landlord::cli {

void Table::addRow(std::vector<std::string> cells) {
  if (cells.size() != columns_.size()) {
    throw std::logic_error("table row has " + std::to_string(cells.size()) + " cells, expected " +
                           std::to_string(columns_.size()));
  }
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths;
  for (const Column& column : columns_) {
    widths.push_back(column.header.size());
  }
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  const auto printRow = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string padding(widths[i] - cells[i].size(), ' ');
      const bool last = i + 1 == cells.size();
      if (columns_[i].align == Align::Right) {
        line += padding + cells[i];
      } else {
        line += cells[i] + (last ? "" : padding);
      }
      if (!last) {
        line += "  ";
      }
    }
    out << line << "\n";
  };
  std::vector<std::string> headers;
  for (const Column& column : columns_) {
    headers.push_back(column.header);
  }
  printRow(headers);
  for (const auto& row : rows_) {
    printRow(row);
  }
}

}  // namespace landlord::cli
