// Linked into every e2e and bench program that talks HTTPS through
// cpprestsdk.
//
// cpprestsdk 2.10's asio client leaks OpenSSL handshake state (seen with
// fast_unwind_on_malloc=0: every stack runs through libcpprest's
// ssl::detail::engine::perform). The fast unwinder stops inside libcrypto, so
// suppress by both libraries; landlord's own OpenSSL use is RAII.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libcpprest.so\nleak:libcrypto.so\nleak:libssl.so\n";
}
