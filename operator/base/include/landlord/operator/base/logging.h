#pragma once

// Structured logging over spdlog: a Logger carries key/value fields (the
// controller, the object key of a reconcile, ...) that appear on every line it
// writes, as text (`msg key="value"`) or as one JSON object per line.

#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace landlord::kube {

enum class LogFormat { text, json };

std::optional<LogFormat> parseLogFormat(std::string_view name);
// trace, debug, info, warn (or warning), error, off.
std::optional<spdlog::level::level_enum> parseLogLevel(std::string_view name);

struct LogField {
  std::string key;
  std::string value;
};

class Logger {
 public:
  explicit Logger(std::shared_ptr<spdlog::logger> sink) : sink_(std::move(sink)) {}

  // A logger that adds `fields` to every line (after this logger's own).
  Logger withValues(std::vector<LogField> fields) const;

  template <typename... Args>
  void trace(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::trace, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void debug(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::debug, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void info(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::info, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void warn(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::warn, format, std::forward<Args>(args)...);
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> format, Args&&... args) const {
    log(spdlog::level::err, format, std::forward<Args>(args)...);
  }

  template <typename... Args>
  void log(spdlog::level::level_enum level, fmt::format_string<Args...> format,
           Args&&... args) const {
    if (sink_->should_log(level)) {
      write(level, fmt::format(format, std::forward<Args>(args)...));
    }
  }

  void flush() const { sink_->flush(); }
  const std::shared_ptr<spdlog::logger>& spdlogger() const { return sink_; }

 private:
  void write(spdlog::level::level_enum level, std::string_view message) const;

  std::shared_ptr<spdlog::logger> sink_;
  std::vector<LogField> fields_;
};

// An spdlog logger named `name` writing lines in `format` to `sinks` (stderr
// when empty). Plain spdlog calls through it (e.g. from libraries using the
// default logger) are formatted the same way, without fields.
std::shared_ptr<spdlog::logger> makeSpdlogLogger(std::string name, LogFormat format,
                                                 spdlog::level::level_enum level,
                                                 std::vector<spdlog::sink_ptr> sinks = {});

}  // namespace landlord::kube
