#include "landlord/cli/command_registry.h"

#include <algorithm>
#include <exception>
#include <ostream>
#include <stdexcept>

namespace landlord::cli {

namespace {

bool isHelp(std::string_view arg) {
  return arg == "--help" || arg == "-h" || arg == "help";
}

std::string optionUsage(const OptionSpec& option) {
  std::string text;
  if (option.shortName != '\0') {
    text += '-';
    text += option.shortName;
    text += ", ";
  }
  text += "--";
  text += option.name;
  if (!option.valueName.empty()) {
    text += ' ';
    text += option.valueName;
  }
  return text;
}

}  // namespace

void CommandRegistry::add(Command command) {
  if (find(command.name) != nullptr) {
    throw std::logic_error("command " + command.name + " registered twice");
  }
  commands_.push_back(std::move(command));
}

const Command* CommandRegistry::find(std::string_view name) const {
  const auto found = std::find_if(commands_.begin(), commands_.end(),
                                  [&](const Command& command) { return command.name == name; });
  return found == commands_.end() ? nullptr : &*found;
}

int CommandRegistry::dispatch(const std::vector<std::string>& args, CommandIo& io) const {
  if (args.empty()) {
    printHelp(io.err);
    return 2;
  }
  if (isHelp(args.front())) {
    if (args.size() > 1 && find(args[1]) != nullptr) {
      printCommandHelp(*find(args[1]), io.out);
    } else {
      printHelp(io.out);
    }
    return 0;
  }
  const Command* command = find(args.front());
  if (command == nullptr) {
    io.err << programName_ << ": unknown command \"" << args.front() << "\"\n\n";
    printHelp(io.err);
    return 2;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (std::any_of(rest.begin(), rest.end(),
                  [](const std::string& arg) { return arg == "--help" || arg == "-h"; })) {
    printCommandHelp(*command, io.out);
    return 0;
  }
  try {
    const Arguments arguments = parseArguments(rest, command->options);
    if (!arguments.positional().empty()) {
      throw UsageError("unexpected argument \"" + arguments.positional().front() + "\"");
    }
    return command->run(arguments, io);
  } catch (const UsageError& error) {
    io.err << programName_ << " " << command->name << ": " << error.what() << "\n\n";
    printCommandHelp(*command, io.err);
    return 2;
  } catch (const std::exception& error) {
    io.err << programName_ << " " << command->name << ": " << error.what() << "\n";
    return 1;
  }
}

void CommandRegistry::printHelp(std::ostream& out) const {
  out << "Usage: " << programName_ << " COMMAND [OPTIONS]\n\n"
      << "landlord turns a mixed GPU fleet into single-tenant pools and shows what each earns.\n\n"
      << "Commands:\n";
  std::size_t width = 0;
  for (const Command& command : commands_) {
    width = std::max(width, command.name.size());
  }
  for (const Command& command : commands_) {
    out << "  " << command.name << std::string(width - command.name.size() + 2, ' ')
        << command.summary << "\n";
  }
  out << "\nRun '" << programName_ << " COMMAND --help' for a command's options.\n";
}

void CommandRegistry::printCommandHelp(const Command& command, std::ostream& out) const {
  out << "Usage: " << programName_ << " " << command.name << " [OPTIONS]\n\n"
      << command.summary << "\n\nOptions:\n";
  std::size_t width = 0;
  for (const OptionSpec& option : command.options) {
    width = std::max(width, optionUsage(option).size());
  }
  for (const OptionSpec& option : command.options) {
    const std::string usage = optionUsage(option);
    out << "  " << usage << std::string(width - usage.size() + 2, ' ') << option.help;
    if (option.required) {
      out << " (required)";
    } else if (option.defaultValue) {
      out << " (default " << *option.defaultValue << ")";
    }
    out << "\n";
  }
}

}  // namespace landlord::cli
