/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An skb argument read the way a sock is: family, protocol, addresses and
 * ports, so the same network filters (SPort, DAddr, Protocol, ...) apply.
 * They come from the packet's own headers, found through the sk_buff's
 * head and header offsets (CO-RE: the fields moved into struct groups over
 * the years), never from its socket: a forwarded or raw packet has none,
 * and a packet is what the hook sees.
 */
#ifndef RTENF_SKB_BPF_H
#define RTENF_SKB_BPF_H

#include "common.bpf.h"

#define SKB_ETH_P_IP       0x0800
#define SKB_ETH_P_IPV6     0x86dd
#define SKB_HEADER_UNSET   0xffff /* sk_buff network/transport_header before the stack sets them */
#define SKB_IPPROTO_TCP    6
#define SKB_IPPROTO_UDP    17
#define SKB_IPV4_FRAG_MASK 0x1fff /* fragment offset bits of frag_off, host order */

/* Where the transport header starts (an offset from head), or 0 when the
 * packet carries no TCP/UDP ports we can see: the stack's own
 * transport_header when it set one past the network header, else right
 * after the IP header (IPv6 extension headers are not walked). */
static __always_inline __u32 skb_l4_offset(__u16 nh_off, __u16 th_off, __u32 ip_len)
{
	if (th_off != SKB_HEADER_UNSET && th_off > nh_off)
		return th_off;
	return nh_off + ip_len;
}

static __always_inline void skb_read_ports(unsigned char *head, __u32 l4, struct rtenf_arg_sock *n)
{
	struct {
		__be16 source;
		__be16 dest;
	} ports;

	if (n->protocol != SKB_IPPROTO_TCP && n->protocol != SKB_IPPROTO_UDP)
		return;
	if (bpf_probe_read_kernel(&ports, sizeof(ports), head + l4))
		return;
	n->sport = bpf_ntohs(ports.source);
	n->dport = bpf_ntohs(ports.dest);
}

/* Fills family, protocol, addresses, ports and mark; leaves zeros where
 * the packet is not IPv4 or IPv6 (ARP, a header not yet built). */
static __always_inline void read_skb(struct sk_buff *skb, struct rtenf_arg_sock *n)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh_off = BPF_CORE_READ(skb, network_header);
	__u16 th_off = BPF_CORE_READ(skb, transport_header);
	__u16 ethertype = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	unsigned char *nh = head + nh_off;
	__u8 version_ihl, version;

	n->mark = BPF_CORE_READ(skb, mark);
	/* the first byte of both IP headers: version in the high nibble (and,
	 * for IPv4, the header length in 32-bit words in the low one) */
	if (!head || nh_off == SKB_HEADER_UNSET || bpf_probe_read_kernel(&version_ihl, 1, nh))
		return;
	version = version_ihl >> 4;
	if (version == 4 && (!ethertype || ethertype == SKB_ETH_P_IP)) {
		__u32 ihl = (version_ihl & 0x0f) * 4;
		struct iphdr ip;

		if (bpf_probe_read_kernel(&ip, sizeof(ip), nh))
			return;
		n->family = 2; /* AF_INET */
		n->protocol = ip.protocol;
		__builtin_memcpy(n->saddr, &ip.saddr, 4);
		__builtin_memcpy(n->daddr, &ip.daddr, 4);
		/* a header shorter than its 20 fixed bytes is not one to trust for
		 * where ports are; a later fragment has no transport header */
		if (ihl < sizeof(ip) || (bpf_ntohs(ip.frag_off) & SKB_IPV4_FRAG_MASK))
			return;
		skb_read_ports(head, skb_l4_offset(nh_off, th_off, ihl), n);
	} else if (version == 6 && (!ethertype || ethertype == SKB_ETH_P_IPV6)) {
		struct ipv6hdr ip6;

		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), nh))
			return;
		n->family = 10; /* AF_INET6 */
		n->protocol = ip6.nexthdr;
		__builtin_memcpy(n->saddr, &ip6.saddr, 16);
		__builtin_memcpy(n->daddr, &ip6.daddr, 16);
		skb_read_ports(head, skb_l4_offset(nh_off, th_off, sizeof(ip6)), n);
	}
}

#endif /* RTENF_SKB_BPF_H */
