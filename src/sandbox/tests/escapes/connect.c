/* Network: TCP to 127.0.0.1:PORT (argv[1]) and to a documentation address (RFC 5737), UDP out,
 * a raw socket and a listening socket. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "escape.h"

static void TryConnect(const char* ip, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    Contained("socket(AF_INET)");
    return;
  }
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)port);
  inet_pton(AF_INET, ip, &address.sin_addr);
  if (connect(fd, (struct sockaddr*)&address, sizeof(address)) == 0) Escaped("connected");
  Contained("connect");
  close(fd);
}

int main(int argc, char** argv) {
  TryConnect("127.0.0.1", argc > 1 ? atoi(argv[1]) : 9);
  TryConnect("192.0.2.1", 443);
  const int udp = socket(AF_INET, SOCK_DGRAM, 0);
  if (udp >= 0) Escaped("UDP socket");
  Contained("socket(AF_INET, SOCK_DGRAM)");
  const int raw = socket(AF_INET6, SOCK_RAW, 0);
  if (raw >= 0) Escaped("raw socket");
  Contained("socket(AF_INET6, SOCK_RAW)");
  return 0;
}
