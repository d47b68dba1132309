/** Authentication by API token, roles, scopes and the access checks every endpoint makes. */
@NullMarked
package dev.syntra.server.auth;

import org.jspecify.annotations.NullMarked;
