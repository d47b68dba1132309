/**
 * PostgreSQL: embedded or external, migrations, and tenant-scoped transactions under row-level
 * security.
 */
@NullMarked
package dev.syntra.server.db;

import org.jspecify.annotations.NullMarked;
