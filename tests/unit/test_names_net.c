// SPDX-License-Identifier: GPL-2.0-only
/* names_net.c spells its tables out; check them against the libc headers. */
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "names.h"

#define NAMED(c) {c, #c}

struct named {
	unsigned value;
	const char *name;
};

static void expect_names(const char *(*fn)(unsigned), const struct named *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = fn(t[i].value);

		cr_assert_not_null(got, "%s (%u) has no name", t[i].name, t[i].value);
		cr_assert_str_eq(got, t[i].name);
	}
}

Test(names_net, address_families)
{
	static const struct named t[] = {
		NAMED(AF_UNSPEC), NAMED(AF_UNIX),     NAMED(AF_INET),     NAMED(AF_AX25),      NAMED(AF_IPX),
		NAMED(AF_APPLETALK), NAMED(AF_NETROM), NAMED(AF_BRIDGE),  NAMED(AF_ATMPVC),    NAMED(AF_X25),
		NAMED(AF_INET6),  NAMED(AF_ROSE),     NAMED(AF_DECnet),   NAMED(AF_NETBEUI),   NAMED(AF_SECURITY),
		NAMED(AF_KEY),    NAMED(AF_NETLINK),  NAMED(AF_PACKET),   NAMED(AF_ASH),       NAMED(AF_ECONET),
		NAMED(AF_ATMSVC), NAMED(AF_RDS),      NAMED(AF_SNA),      NAMED(AF_IRDA),      NAMED(AF_PPPOX),
		NAMED(AF_WANPIPE), NAMED(AF_LLC),     NAMED(AF_IB),       NAMED(AF_MPLS),      NAMED(AF_CAN),
		NAMED(AF_TIPC),   NAMED(AF_BLUETOOTH), NAMED(AF_IUCV),    NAMED(AF_RXRPC),     NAMED(AF_ISDN),
		NAMED(AF_PHONET), NAMED(AF_IEEE802154), NAMED(AF_CAIF),   NAMED(AF_ALG),       NAMED(AF_NFC),
		NAMED(AF_VSOCK),  NAMED(AF_KCM),      NAMED(AF_QIPCRTR),  NAMED(AF_SMC),       NAMED(AF_XDP),
		{45, "AF_MCTP"}, /* newer than some libc headers */
	};

	expect_names(address_family_name, t, sizeof(t) / sizeof(t[0]));
	cr_assert_null(address_family_name(46));
	cr_assert_null(address_family_name(~0u));
}

Test(names_net, socket_types)
{
	static const struct named t[] = {
		NAMED(SOCK_STREAM), NAMED(SOCK_DGRAM), NAMED(SOCK_RAW), NAMED(SOCK_RDM),
		NAMED(SOCK_SEQPACKET), NAMED(SOCK_DCCP), NAMED(SOCK_PACKET),
	};

	expect_names(socket_type_name, t, sizeof(t) / sizeof(t[0]));
	cr_assert_null(socket_type_name(0));
	cr_assert_null(socket_type_name(7));
	cr_assert_null(socket_type_name(SOCK_STREAM | SOCK_CLOEXEC), "flags are not part of sk_type");
}

Test(names_net, ip_protocols)
{
	static const struct named t[] = {
		NAMED(IPPROTO_IP),   NAMED(IPPROTO_ICMP),  NAMED(IPPROTO_IGMP),    NAMED(IPPROTO_IPIP),
		NAMED(IPPROTO_TCP),  NAMED(IPPROTO_EGP),   NAMED(IPPROTO_PUP),     NAMED(IPPROTO_UDP),
		NAMED(IPPROTO_IDP),  NAMED(IPPROTO_TP),    NAMED(IPPROTO_DCCP),    NAMED(IPPROTO_IPV6),
		NAMED(IPPROTO_RSVP), NAMED(IPPROTO_GRE),   NAMED(IPPROTO_ESP),     NAMED(IPPROTO_AH),
		NAMED(IPPROTO_ICMPV6), NAMED(IPPROTO_MTP), NAMED(IPPROTO_BEETPH),  NAMED(IPPROTO_ENCAP),
		NAMED(IPPROTO_PIM),  NAMED(IPPROTO_COMP),  {115, "IPPROTO_L2TP"}, NAMED(IPPROTO_SCTP),
		NAMED(IPPROTO_UDPLITE), NAMED(IPPROTO_MPLS), NAMED(IPPROTO_ETHERNET), NAMED(IPPROTO_RAW),
		NAMED(IPPROTO_MPTCP),
	};

	expect_names(ip_protocol_name, t, sizeof(t) / sizeof(t[0]));
	cr_assert_null(ip_protocol_name(3));
	cr_assert_null(ip_protocol_name(256));
}

Test(names_net, tcp_states)
{
	static const struct named t[] = {
		NAMED(TCP_ESTABLISHED), NAMED(TCP_SYN_SENT),   NAMED(TCP_SYN_RECV), NAMED(TCP_FIN_WAIT1),
		NAMED(TCP_FIN_WAIT2),   NAMED(TCP_TIME_WAIT),  NAMED(TCP_CLOSE),    NAMED(TCP_CLOSE_WAIT),
		NAMED(TCP_LAST_ACK),    NAMED(TCP_LISTEN),     NAMED(TCP_CLOSING),
		{12, "TCP_NEW_SYN_RECV"}, /* kernel-internal states, not in <netinet/tcp.h> */
		{13, "TCP_BOUND_INACTIVE"},
	};

	expect_names(tcp_state_name, t, sizeof(t) / sizeof(t[0]));
	cr_assert_null(tcp_state_name(0));
	cr_assert_null(tcp_state_name(14));
}
