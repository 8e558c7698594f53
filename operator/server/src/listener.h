#pragma once

// The listening socket of an EndpointServer.

#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace landlord::kube::server {

// Binds and listens on `address` ("host:port", ":port", "[v6]:port"). ":port"
// means every interface of both families, as in Go: an IPv6-only cluster
// reaches the pod over IPv6; without IPv6 the IPv4 wildcard is used. Throws
// std::runtime_error starting with `serverName` and naming the address.
void listenOn(boost::asio::ip::tcp::acceptor& acceptor, const std::string& address,
              const std::string& serverName);

}  // namespace landlord::kube::server
