// Original file: proto/hvswitch/v1/switch.proto

import type { Port as _hvswitch_v1_Port, Port__Output as _hvswitch_v1_Port__Output } from '../../hvswitch/v1/Port.js';

export interface UpdatePortRequest {
  'port'?: (_hvswitch_v1_Port | null);
  /**
   * Which fields of `port` to change, in the config's words: "vlan",
   * "allowed-vlans", "native-vlan", "bridge", "mode", "mac-limit", "mtu",
   * "vrf", "addresses", "mac", "vm-mac", "backend".  Empty: replace all.
   */
  'updateMask'?: (string)[];
}

export interface UpdatePortRequest__Output {
  'port': (_hvswitch_v1_Port__Output | null);
  /**
   * Which fields of `port` to change, in the config's words: "vlan",
   * "allowed-vlans", "native-vlan", "bridge", "mode", "mac-limit", "mtu",
   * "vrf", "addresses", "mac", "vm-mac", "backend".  Empty: replace all.
   */
  'updateMask': (string)[];
}
