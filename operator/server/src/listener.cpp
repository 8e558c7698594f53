// Binding the listening socket, dual-stack for ":port" (see listener.h).
#include "listener.h"

#include <boost/asio/ip/v6_only.hpp>
#include <stdexcept>
#include <vector>

#include "landlord/operator/server/http_server.h"

namespace landlord::kube {

BindAddress parseBindAddress(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("bind address \"" + address + "\" must be host:port or :port");
  }
  std::string host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string portText = address.substr(colon + 1);
  int port = -1;
  try {
    std::size_t used = 0;
    port = std::stoi(portText, &used);
    if (used != portText.size()) {
      port = -1;
    }
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    throw std::invalid_argument("bind address \"" + address + "\" has an invalid port");
  }
  return BindAddress{host, port};
}

namespace server {

namespace {

using tcp = boost::asio::ip::tcp;

// Opens, binds and listens; the error, if any, leaves the acceptor closed.
boost::system::error_code tryListen(tcp::acceptor& acceptor, const tcp::endpoint& endpoint,
                                    bool dualStack) {
  boost::system::error_code error;
  acceptor.open(endpoint.protocol(), error);
  if (!error) {
    acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  }
  if (!error && dualStack) {
    acceptor.set_option(boost::asio::ip::v6_only(false), error);
  }
  if (!error) {
    acceptor.bind(endpoint, error);
  }
  if (!error) {
    acceptor.listen(tcp::acceptor::max_listen_connections, error);
  }
  if (error) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
  }
  return error;
}

}  // namespace

void listenOn(tcp::acceptor& acceptor, const std::string& bindAddress,
              const std::string& serverName) {
  BindAddress address;
  try {
    address = parseBindAddress(bindAddress);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(serverName + ": " + e.what());
  }
  const auto port = static_cast<unsigned short>(address.port);
  std::vector<std::pair<tcp::endpoint, bool>> candidates;  // endpoint, dual-stack
  if (address.host.empty()) {
    // A dual-stack [::] socket first; the IPv4 wildcard when there is no IPv6.
    candidates.emplace_back(tcp::endpoint(tcp::v6(), port), true);
    candidates.emplace_back(tcp::endpoint(tcp::v4(), port), false);
  } else {
    boost::system::error_code error;
    tcp::resolver resolver(acceptor.get_executor());
    const auto found =
        resolver.resolve(address.host, std::to_string(port),
                         tcp::resolver::passive | tcp::resolver::numeric_service, error);
    if (error) {
      throw std::runtime_error(serverName + ": cannot resolve bind address " + bindAddress + ": " +
                               error.message());
    }
    for (const auto& entry : found) {
      candidates.emplace_back(entry.endpoint(), false);
    }
  }
  std::string lastError = "no usable address";
  for (const auto& [endpoint, dualStack] : candidates) {
    const boost::system::error_code error = tryListen(acceptor, endpoint, dualStack);
    if (!error) {
      return;
    }
    lastError = error.message();
  }
  throw std::runtime_error(serverName + ": cannot listen on " + bindAddress + ": " + lastError);
}

}  // namespace server
}  // namespace landlord::kube
