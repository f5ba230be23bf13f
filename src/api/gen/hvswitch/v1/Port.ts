// Original file: proto/hvswitch/v1/l2.proto

import type { PortBackend as _hvswitch_v1_PortBackend, PortBackend__Output as _hvswitch_v1_PortBackend__Output } from '../../hvswitch/v1/PortBackend.js';
import type { PortMode as _hvswitch_v1_PortMode, PortMode__Output as _hvswitch_v1_PortMode__Output } from '../../hvswitch/v1/PortMode.js';
import type { PortStatus as _hvswitch_v1_PortStatus, PortStatus__Output as _hvswitch_v1_PortStatus__Output } from '../../hvswitch/v1/PortStatus.js';

/**
 * A port: its desired settings (as in the config file) and, in answers, its
 * state.  In requests, zero values mean "the default" (vlan 1 for access
 * ports, mac_limit from fdb.mac-limit, mtu 1500).
 */
export interface Port {
  /**
   * Linux interface name, 1-15 characters
   */
  'name'?: (string);
  'backend'?: (_hvswitch_v1_PortBackend);
  'mode'?: (_hvswitch_v1_PortMode);
  /**
   * bridge domain; empty: none
   */
  'bridge'?: (string);
  /**
   * access VLAN (1-4094)
   */
  'vlan'?: (number);
  /**
   * trunk: allowed VLANs
   */
  'allowedVlans'?: (number)[];
  /**
   * trunk: VLAN of untagged frames; 0: none
   */
  'nativeVlan'?: (number);
  /**
   * most MACs learned on this port
   */
  'macLimit'?: (number);
  'mtu'?: (number);
  /**
   * routed and vm ports
   */
  'vrf'?: (string);
  /**
   * routed: CIDRs; vm: /32 and /128
   */
  'addresses'?: (string)[];
  /**
   * routed/vm: our MAC on the port
   */
  'mac'?: (string);
  /**
   * vm: the VM's MAC
   */
  'vmMac'?: (string);
  /**
   * answers only
   */
  'status'?: (_hvswitch_v1_PortStatus | null);
}

/**
 * A port: its desired settings (as in the config file) and, in answers, its
 * state.  In requests, zero values mean "the default" (vlan 1 for access
 * ports, mac_limit from fdb.mac-limit, mtu 1500).
 */
export interface Port__Output {
  /**
   * Linux interface name, 1-15 characters
   */
  'name': (string);
  'backend': (_hvswitch_v1_PortBackend__Output);
  'mode': (_hvswitch_v1_PortMode__Output);
  /**
   * bridge domain; empty: none
   */
  'bridge': (string);
  /**
   * access VLAN (1-4094)
   */
  'vlan': (number);
  /**
   * trunk: allowed VLANs
   */
  'allowedVlans': (number)[];
  /**
   * trunk: VLAN of untagged frames; 0: none
   */
  'nativeVlan': (number);
  /**
   * most MACs learned on this port
   */
  'macLimit': (number);
  'mtu': (number);
  /**
   * routed and vm ports
   */
  'vrf': (string);
  /**
   * routed: CIDRs; vm: /32 and /128
   */
  'addresses': (string)[];
  /**
   * routed/vm: our MAC on the port
   */
  'mac': (string);
  /**
   * vm: the VM's MAC
   */
  'vmMac': (string);
  /**
   * answers only
   */
  'status': (_hvswitch_v1_PortStatus__Output | null);
}
