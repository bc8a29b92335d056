/*
 * The C side of the packet I/O benchmark, written for this project:
 *   packets gen  DST_IP PORT SIZE SECONDS [PPS] UDP datagrams with sendmmsg, as fast as it can
 *                                              (or PPS a second: 1/1000 of them every ms)
 *   packets read DEVICE SECONDS                poll + non-blocking read until EAGAIN; prints packets
 *   packets cpu DEVICE SECONDS                 as read; prints packets and the CPU seconds used
 *   packets write DEVICE SIZE SECONDS          writes IPv4/UDP packets into the tun; prints packets
 *   packets echo DEVICE SECONDS                reads a packet, writes it back; prints packets
 *   packets drain DEVICE WAIT_MS [N]           5 rounds: waits (the queue fills), then reads
 *                                              until it is empty or N packets (80,000) were
 *                                              read; the first round warms up; prints packets
 *                                              and seconds of the other 4
 * The device is attached with IFF_TUN | IFF_NO_PI (it must exist).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* drain: measured rounds, and the most packets a round reads (the queue holds more). */
#define ROUNDS 4
#define ROUND 80000

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int attach(const char *name) {
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("attach"); exit(1); }
	return fd;
}

static unsigned short sum16(const unsigned char *p, int n) {
	unsigned long s = 0;
	for (int i = 0; i + 1 < n; i += 2) s += (p[i] << 8) | p[i + 1];
	while (s >> 16) s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* An IPv4/UDP packet from 10.9.0.2 to 10.9.0.1:9 of `size` bytes. */
static int udp_packet(unsigned char *p, int size) {
	memset(p, 0, size);
	p[0] = 0x45; p[2] = size >> 8; p[3] = size & 0xff; p[8] = 64; p[9] = 17;
	p[12] = 10; p[13] = 9; p[14] = 0; p[15] = 2;
	p[16] = 10; p[17] = 9; p[18] = 0; p[19] = 1;
	unsigned short c = sum16(p, 20); p[10] = c >> 8; p[11] = c & 0xff;
	p[20] = 0x30; p[21] = 0x39; p[22] = 0; p[23] = 9;
	p[24] = (size - 20) >> 8; p[25] = (size - 20) & 0xff;
	return size;
}

int main(int argc, char **argv) {
	if (argc < 3) { fprintf(stderr, "usage: see the comment at the top\n"); return 2; }
	static unsigned char buf[65536];
	if (strcmp(argv[1], "gen") == 0) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[3])) };
		inet_pton(AF_INET, argv[2], &to.sin_addr);
		int size = atoi(argv[4]) - 28; /* the UDP payload of an IP packet of SIZE bytes */
		double end = now() + atof(argv[5]);
		struct mmsghdr msgs[64];
		struct iovec iov = { buf, size };
		for (int i = 0; i < 64; i++) {
			memset(&msgs[i], 0, sizeof msgs[i]);
			msgs[i].msg_hdr.msg_name = &to; msgs[i].msg_hdr.msg_namelen = sizeof to;
			msgs[i].msg_hdr.msg_iov = &iov; msgs[i].msg_hdr.msg_iovlen = 1;
		}
		if (argc > 6) { /* paced: a burst every millisecond */
			int burst = atoi(argv[6]) / 1000;
			if (burst > 64) burst = 64;
			struct timespec next;
			clock_gettime(CLOCK_MONOTONIC, &next);
			while (now() < end) {
				sendmmsg(s, msgs, burst, 0);
				next.tv_nsec += 1000000;
				if (next.tv_nsec >= 1000000000) { next.tv_nsec -= 1000000000; next.tv_sec++; }
				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
			}
			return 0;
		}
		while (now() < end) sendmmsg(s, msgs, 64, 0);
		return 0;
	}
	int fd = attach(argv[2]);
	struct pollfd pfd = { fd, POLLIN, 0 };
	long packets = 0;
	if (strcmp(argv[1], "drain") == 0) {
		printf("ready\n"); fflush(stdout);
		long wait_us = atol(argv[3]) * 1000, max = argc > 4 ? atol(argv[4]) : ROUND;
		double seconds = 0;
		/* A warm-up round as the Deno side's (which needs one for its JIT), then the measured ones. */
		for (int round = 0; round <= ROUNDS; round++) {
			usleep(wait_us);
			double start = now();
			long n = 0;
			while (n < max && read(fd, buf, sizeof buf) >= 0) n++;
			if (round > 0) { packets += n; seconds += now() - start; }
		}
		printf("%ld %.6f\n", packets, seconds);
		return 0;
	}
	int cpu = strcmp(argv[1], "cpu") == 0;
	if (strcmp(argv[1], "read") == 0 || strcmp(argv[1], "echo") == 0 || cpu) {
		int echo = argv[1][0] == 'e';
		printf("ready\n"); fflush(stdout);
		double end = now() + atof(argv[3]);
		while (now() < end) {
			if (poll(&pfd, 1, 100) <= 0) continue;
			for (;;) {
				ssize_t n = read(fd, buf, sizeof buf);
				if (n < 0) break;
				packets++;
				if (echo) (void)write(fd, buf, n);
			}
		}
	} else {
		int size = udp_packet(buf, atoi(argv[3]));
		printf("ready\n"); fflush(stdout);
		double end = now() + atof(argv[4]);
		while (now() < end) {
			for (int i = 0; i < 256; i++) if (write(fd, buf, size) == size) packets++;
		}
	}
	if (cpu) {
		struct rusage u;
		getrusage(RUSAGE_SELF, &u);
		printf("%ld %.6f\n", packets, u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 +
			u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6);
		return 0;
	}
	printf("%ld\n", packets);
	return 0;
}
