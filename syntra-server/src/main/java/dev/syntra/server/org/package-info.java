/** Organizations, members, invitations and the first-start bootstrap. */
@NullMarked
package dev.syntra.server.org;

import org.jspecify.annotations.NullMarked;
