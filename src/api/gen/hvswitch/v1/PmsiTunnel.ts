// Original file: proto/hvswitch/v1/bgp.proto


/**
 * RFC 6514 §5.  Tunnel type 6 = ingress replication (RFC 8365 §5.1.3).
 */
export interface PmsiTunnel {
  'flags'?: (number);
  'tunnelType'?: (number);
  /**
   * raw 24-bit field (the VNI for VXLAN)
   */
  'label'?: (number);
  /**
   * ingress replication: the endpoint address
   */
  'tunnelId'?: (string);
}

/**
 * RFC 6514 §5.  Tunnel type 6 = ingress replication (RFC 8365 §5.1.3).
 */
export interface PmsiTunnel__Output {
  'flags': (number);
  'tunnelType': (number);
  /**
   * raw 24-bit field (the VNI for VXLAN)
   */
  'label': (number);
  /**
   * ingress replication: the endpoint address
   */
  'tunnelId': (string);
}
