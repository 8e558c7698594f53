/* The pod sandbox's first process: holds the pod's namespaces open, reaps the
 * zombies of processes that share its PID namespace, and exits on SIGINT or
 * SIGTERM. Built statically into the pause image (e2e/image/build-pause). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signal_number) {
  (void)signal_number;
  _exit(0);
}

static void reap(int signal_number) {
  (void)signal_number;
  int saved = errno;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

static void on(int signal_number, void (*handler)(int), int flags) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  action.sa_flags = flags;
  sigemptyset(&action.sa_mask);
  if (sigaction(signal_number, &action, NULL) != 0) {
    _exit(2);
  }
}

int main(void) {
  on(SIGINT, stop, 0);
  on(SIGTERM, stop, 0);
  on(SIGCHLD, reap, SA_NOCLDSTOP | SA_RESTART);
  for (;;) {
    pause();
  }
  return EXIT_FAILURE; /* unreachable */
}
