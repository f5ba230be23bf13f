// Original file: proto/hvswitch/v1/l2.proto

/**
 * How a port reaches its packets.
 */
export const PortBackend = {
  PORT_BACKEND_UNSPECIFIED: 'PORT_BACKEND_UNSPECIFIED',
  /**
   * A TAP device, created (and removed on shutdown) or attached by name.
   */
  PORT_BACKEND_TAP: 'PORT_BACKEND_TAP',
  /**
   * An existing interface (veth, NIC) over AF_PACKET.
   */
  PORT_BACKEND_AF_PACKET: 'PORT_BACKEND_AF_PACKET',
  /**
   * An in-process ring pair (tests).
   */
  PORT_BACKEND_MEMORY: 'PORT_BACKEND_MEMORY',
} as const;

/**
 * How a port reaches its packets.
 */
export type PortBackend =
  | 'PORT_BACKEND_UNSPECIFIED'
  | 0
  /**
   * A TAP device, created (and removed on shutdown) or attached by name.
   */
  | 'PORT_BACKEND_TAP'
  | 1
  /**
   * An existing interface (veth, NIC) over AF_PACKET.
   */
  | 'PORT_BACKEND_AF_PACKET'
  | 2
  /**
   * An in-process ring pair (tests).
   */
  | 'PORT_BACKEND_MEMORY'
  | 3

/**
 * How a port reaches its packets.
 */
export type PortBackend__Output = typeof PortBackend[keyof typeof PortBackend]
