/* tc programs for test/netns/l2-switching.test.ts (3b): a host whose kernel
 * has no 8021q module still sends and receives VLAN 20 the way a VLAN
 * interface with tx-vlan-offload does: on egress the tag goes into the skb's
 * metadata (bpf_skb_vlan_push puts it out of band when none is there, as the
 * stack does for a device with NETIF_F_HW_VLAN_CTAG_TX), so the veth hands it
 * to the switch's port out of band; on ingress the tag the kernel took out
 * of the frame is dropped, so the untagged IP stack answers.
 * Built at test time: clang -O2 -target bpf -c. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

SEC("tc") int push20(struct __sk_buff *skb) {
  bpf_skb_vlan_push(skb, bpf_htons(0x8100), 20);
  return TC_ACT_OK;
}

SEC("tc") int pop(struct __sk_buff *skb) {
  if (skb->vlan_present) bpf_skb_vlan_pop(skb);
  return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
