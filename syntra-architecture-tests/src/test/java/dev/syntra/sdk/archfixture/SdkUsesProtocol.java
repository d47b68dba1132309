package dev.syntra.sdk.archfixture;

import dev.syntra.protocol.archfixture.ProtocolThing;

/** Violates the sdk rule: the sdk uses none of our modules. */
public record SdkUsesProtocol(ProtocolThing protocol) {}
