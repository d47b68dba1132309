/**
 * The HTTP port's defences at the socket level: connection caps per client address and in total,
 * and a deadline for a request's line and headers, so slow or idle clients cannot hold the API.
 */
@NullMarked
package dev.syntra.server.http;

import org.jspecify.annotations.NullMarked;
