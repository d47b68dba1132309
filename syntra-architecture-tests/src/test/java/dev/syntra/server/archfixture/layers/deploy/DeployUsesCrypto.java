package dev.syntra.server.archfixture.layers.deploy;

import dev.syntra.server.archfixture.layers.crypto.CryptoThing;

/** Keeps the layering: a top layer uses a low one. */
public record DeployUsesCrypto(CryptoThing thing) {}
