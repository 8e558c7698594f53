#include "landlord/operator/base/logging.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace landlord::kube {

namespace {

// Fields travel from Logger to the formatter inside the spdlog payload,
// separated by ASCII unit/record separators that never occur in log text.
constexpr char kFieldSeparator = '\x1f';
constexpr char kKeyValueSeparator = '\x1e';

struct DecodedPayload {
  std::string_view message;
  std::vector<std::pair<std::string_view, std::string_view>> fields;
};

DecodedPayload decodePayload(std::string_view payload) {
  DecodedPayload decoded;
  std::size_t end = payload.find(kFieldSeparator);
  decoded.message = payload.substr(0, end);
  while (end != std::string_view::npos) {
    const std::size_t start = end + 1;
    end = payload.find(kFieldSeparator, start);
    const std::string_view field =
        payload.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    const std::size_t split = field.find(kKeyValueSeparator);
    decoded.fields.emplace_back(field.substr(0, split), split == std::string_view::npos
                                                            ? std::string_view{}
                                                            : field.substr(split + 1));
  }
  return decoded;
}

std::string timestamp(spdlog::log_clock::time_point time) {
  const auto sinceEpoch = time.time_since_epoch();
  const auto secondsPart = std::chrono::duration_cast<std::chrono::seconds>(sinceEpoch);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(sinceEpoch - secondsPart);
  const std::time_t t = secondsPart.count();
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                     millis.count());
}

std::string quoteForText(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

class StructuredFormatter final : public spdlog::formatter {
 public:
  explicit StructuredFormatter(LogFormat format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const DecodedPayload payload =
        decodePayload(std::string_view(msg.payload.data(), msg.payload.size()));
    const spdlog::string_view_t levelName = spdlog::level::to_string_view(msg.level);
    const std::string_view level(levelName.data(), levelName.size());
    std::string line;
    if (format_ == LogFormat::json) {
      nlohmann::ordered_json object;
      object["ts"] = timestamp(msg.time);
      object["level"] = std::string(level);
      if (msg.logger_name.size() > 0) {
        object["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
      }
      object["msg"] = std::string(payload.message);
      for (const auto& [key, value] : payload.fields) {
        object[std::string(key)] = std::string(value);
      }
      line = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else {
      line = fmt::format("{} {:<5} {} {}", timestamp(msg.time), level,
                         std::string_view(msg.logger_name.data(), msg.logger_name.size()),
                         payload.message);
      for (const auto& [key, value] : payload.fields) {
        line += fmt::format(" {}={}", key, quoteForText(value));
      }
    }
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<StructuredFormatter>(format_);
  }

 private:
  const LogFormat format_;
};

}  // namespace

std::optional<LogFormat> parseLogFormat(std::string_view name) {
  if (name == "text") {
    return LogFormat::text;
  }
  if (name == "json") {
    return LogFormat::json;
  }
  return std::nullopt;
}

std::optional<spdlog::level::level_enum> parseLogLevel(std::string_view name) {
  if (name == "trace") {
    return spdlog::level::trace;
  }
  if (name == "debug") {
    return spdlog::level::debug;
  }
  if (name == "info") {
    return spdlog::level::info;
  }
  if (name == "warn" || name == "warning") {
    return spdlog::level::warn;
  }
  if (name == "error") {
    return spdlog::level::err;
  }
  if (name == "off") {
    return spdlog::level::off;
  }
  return std::nullopt;
}

Logger Logger::withValues(std::vector<LogField> fields) const {
  Logger child = *this;
  for (auto& field : fields) {
    child.fields_.push_back(std::move(field));
  }
  return child;
}

void Logger::write(spdlog::level::level_enum level, std::string_view message) const {
  std::string payload(message);
  for (const auto& field : fields_) {
    payload += kFieldSeparator;
    payload += field.key;
    payload += kKeyValueSeparator;
    payload += field.value;
  }
  sink_->log(level, spdlog::string_view_t(payload.data(), payload.size()));
}

std::shared_ptr<spdlog::logger> makeSpdlogLogger(std::string name, LogFormat format,
                                                 spdlog::level::level_enum level,
                                                 std::vector<spdlog::sink_ptr> sinks) {
  if (sinks.empty()) {
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  }
  auto logger = std::make_shared<spdlog::logger>(std::move(name), sinks.begin(), sinks.end());
  logger->set_formatter(std::make_unique<StructuredFormatter>(format));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  return logger;
}

}  // namespace landlord::kube
