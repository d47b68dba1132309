package dev.syntra.protocol.archfixture;

import dev.syntra.server.archfixture.ServerThing;

/** Violates the protocol and no-library-uses-server rules. */
public record ProtocolUsesServer(ServerThing server) {}
