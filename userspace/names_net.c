// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of socket constants, spelled as the kernel headers and Tetragon's
 * events spell them, so `select(.sock_arg.family == "AF_INET")` works the
 * same on both.  These values are the same on every Linux architecture;
 * the unit tests check them against <sys/socket.h>, <netinet/in.h> and
 * <netinet/tcp.h>.
 */
#include "names.h"

#include "util.h"

static const char *const family_names[] = {
	[0] = "AF_UNSPEC",      [1] = "AF_UNIX",      [2] = "AF_INET",      [3] = "AF_AX25",
	[4] = "AF_IPX",         [5] = "AF_APPLETALK", [6] = "AF_NETROM",    [7] = "AF_BRIDGE",
	[8] = "AF_ATMPVC",      [9] = "AF_X25",       [10] = "AF_INET6",    [11] = "AF_ROSE",
	[12] = "AF_DECnet",     [13] = "AF_NETBEUI",  [14] = "AF_SECURITY", [15] = "AF_KEY",
	[16] = "AF_NETLINK",    [17] = "AF_PACKET",   [18] = "AF_ASH",      [19] = "AF_ECONET",
	[20] = "AF_ATMSVC",     [21] = "AF_RDS",      [22] = "AF_SNA",      [23] = "AF_IRDA",
	[24] = "AF_PPPOX",      [25] = "AF_WANPIPE",  [26] = "AF_LLC",      [27] = "AF_IB",
	[28] = "AF_MPLS",       [29] = "AF_CAN",      [30] = "AF_TIPC",     [31] = "AF_BLUETOOTH",
	[32] = "AF_IUCV",       [33] = "AF_RXRPC",    [34] = "AF_ISDN",     [35] = "AF_PHONET",
	[36] = "AF_IEEE802154", [37] = "AF_CAIF",     [38] = "AF_ALG",      [39] = "AF_NFC",
	[40] = "AF_VSOCK",      [41] = "AF_KCM",      [42] = "AF_QIPCRTR",  [43] = "AF_SMC",
	[44] = "AF_XDP",        [45] = "AF_MCTP",
};

/* sk_type: the type alone, never or'ed with SOCK_NONBLOCK / SOCK_CLOEXEC. */
static const char *const socket_type_names[] = {
	[1] = "SOCK_STREAM", [2] = "SOCK_DGRAM",     [3] = "SOCK_RAW",  [4] = "SOCK_RDM",
	[5] = "SOCK_SEQPACKET", [6] = "SOCK_DCCP", [10] = "SOCK_PACKET",
};

/* sk_protocol is 16 bits wide since IPPROTO_MPTCP (262), hence no array. */
static const struct {
	unsigned protocol;
	const char *name;
} protocol_names[] = {
	{0, "IPPROTO_IP"},      {1, "IPPROTO_ICMP"},     {2, "IPPROTO_IGMP"},   {4, "IPPROTO_IPIP"},
	{6, "IPPROTO_TCP"},     {8, "IPPROTO_EGP"},      {12, "IPPROTO_PUP"},   {17, "IPPROTO_UDP"},
	{22, "IPPROTO_IDP"},    {29, "IPPROTO_TP"},      {33, "IPPROTO_DCCP"},  {41, "IPPROTO_IPV6"},
	{46, "IPPROTO_RSVP"},   {47, "IPPROTO_GRE"},     {50, "IPPROTO_ESP"},   {51, "IPPROTO_AH"},
	{58, "IPPROTO_ICMPV6"}, {92, "IPPROTO_MTP"},     {94, "IPPROTO_BEETPH"}, {98, "IPPROTO_ENCAP"},
	{103, "IPPROTO_PIM"},   {108, "IPPROTO_COMP"},   {115, "IPPROTO_L2TP"}, {132, "IPPROTO_SCTP"},
	{136, "IPPROTO_UDPLITE"}, {137, "IPPROTO_MPLS"}, {143, "IPPROTO_ETHERNET"}, {255, "IPPROTO_RAW"},
	{262, "IPPROTO_MPTCP"},
};

/* include/net/tcp_states.h; 0 is not a state. */
static const char *const tcp_state_names[] = {
	[1] = "TCP_ESTABLISHED", [2] = "TCP_SYN_SENT",   [3] = "TCP_SYN_RECV",  [4] = "TCP_FIN_WAIT1",
	[5] = "TCP_FIN_WAIT2",   [6] = "TCP_TIME_WAIT",  [7] = "TCP_CLOSE",     [8] = "TCP_CLOSE_WAIT",
	[9] = "TCP_LAST_ACK",    [10] = "TCP_LISTEN",    [11] = "TCP_CLOSING",  [12] = "TCP_NEW_SYN_RECV",
	[13] = "TCP_BOUND_INACTIVE",
};

const char *address_family_name(unsigned family)
{
	return family < ARRAY_SIZE(family_names) ? family_names[family] : NULL;
}

const char *socket_type_name(unsigned type)
{
	return type < ARRAY_SIZE(socket_type_names) ? socket_type_names[type] : NULL;
}

const char *ip_protocol_name(unsigned protocol)
{
	for (size_t i = 0; i < ARRAY_SIZE(protocol_names); i++)
		if (protocol_names[i].protocol == protocol)
			return protocol_names[i].name;
	return NULL;
}

const char *tcp_state_name(unsigned state)
{
	return state < ARRAY_SIZE(tcp_state_names) ? tcp_state_names[state] : NULL;
}
