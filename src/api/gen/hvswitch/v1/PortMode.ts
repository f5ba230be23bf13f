// Original file: proto/hvswitch/v1/l2.proto

export const PortMode = {
  /**
   * Treated as ACCESS when adding a port.
   */
  PORT_MODE_UNSPECIFIED: 'PORT_MODE_UNSPECIFIED',
  /**
   * Untagged frames in one VLAN (`vlan`).
   */
  PORT_MODE_ACCESS: 'PORT_MODE_ACCESS',
  /**
   * Tagged frames of `allowed_vlans`; untagged frames in `native_vlan` if set.
   */
  PORT_MODE_TRUNK: 'PORT_MODE_TRUNK',
  /**
   * An L3 interface of a VRF (`vrf`, `addresses`).
   */
  PORT_MODE_ROUTED: 'PORT_MODE_ROUTED',
  /**
   * A routed VM port: the VM's host addresses, gateway 169.254.0.1 / fe80::1.
   */
  PORT_MODE_VM: 'PORT_MODE_VM',
} as const;

export type PortMode =
  /**
   * Treated as ACCESS when adding a port.
   */
  | 'PORT_MODE_UNSPECIFIED'
  | 0
  /**
   * Untagged frames in one VLAN (`vlan`).
   */
  | 'PORT_MODE_ACCESS'
  | 1
  /**
   * Tagged frames of `allowed_vlans`; untagged frames in `native_vlan` if set.
   */
  | 'PORT_MODE_TRUNK'
  | 2
  /**
   * An L3 interface of a VRF (`vrf`, `addresses`).
   */
  | 'PORT_MODE_ROUTED'
  | 3
  /**
   * A routed VM port: the VM's host addresses, gateway 169.254.0.1 / fe80::1.
   */
  | 'PORT_MODE_VM'
  | 4

export type PortMode__Output = typeof PortMode[keyof typeof PortMode]
