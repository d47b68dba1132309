/** Architecture rule fixtures that pose as syntra-sdk classes. */
@NullMarked
package dev.syntra.sdk.archfixture;

import org.jspecify.annotations.NullMarked;
