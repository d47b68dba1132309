/** ArchUnit rules for Syntra's module structure, and the tests that apply them. */
@NullMarked
package dev.syntra.architecture;

import org.jspecify.annotations.NullMarked;
