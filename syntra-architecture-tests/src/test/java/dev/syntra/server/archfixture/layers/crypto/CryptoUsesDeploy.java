package dev.syntra.server.archfixture.layers.crypto;

import dev.syntra.server.archfixture.layers.deploy.DeployThing;

/** Breaks the layering: a low layer uses a top one. */
public record CryptoUsesDeploy(DeployThing thing) {}
