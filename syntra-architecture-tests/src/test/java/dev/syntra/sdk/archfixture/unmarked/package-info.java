/**
 * A package whose package-info.java lacks {@code @NullMarked}, so the null-marking rule must flag
 * it. Deliberately not annotated.
 */
package dev.syntra.sdk.archfixture.unmarked;
