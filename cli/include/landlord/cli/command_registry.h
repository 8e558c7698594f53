#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "landlord/cli/arguments.h"

namespace landlord::cli {

// Bad input the user can fix (unreadable file, malformed fleet): message, exit 1.
class CommandError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CommandIo {
  std::ostream& out;
  std::ostream& err;
  // out is an interactive terminal: progress may redraw one line in place.
  bool terminal = false;
};

struct Command {
  std::string name;     // "report"
  std::string summary;  // one line for the command list
  std::vector<OptionSpec> options;
  std::function<int(const Arguments&, CommandIo&)> run;  // returns the exit code
};

// Maps a sub-command name to its handler. Offline and cluster commands register
// here; dispatch, help and error handling are shared.
class CommandRegistry {
 public:
  explicit CommandRegistry(std::string programName) : programName_(std::move(programName)) {}

  // Throws std::logic_error on a duplicate name.
  void add(Command command);
  const Command* find(std::string_view name) const;

  // Runs `args` (without the program name). Exit codes: 0 success, 1 the command
  // failed on its input, 2 usage error.
  int dispatch(const std::vector<std::string>& args, CommandIo& io) const;

  void printHelp(std::ostream& out) const;
  void printCommandHelp(const Command& command, std::ostream& out) const;

 private:
  std::string programName_;
  std::vector<Command> commands_;
};

}  // namespace landlord::cli
