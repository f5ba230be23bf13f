// Original file: proto/hvswitch/v1/switch.proto


export interface ListCounterDescriptorRequest {
}

export interface ListCounterDescriptorRequest__Output {
}
