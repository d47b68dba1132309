/** Host metrics and facts read from /proc and /etc/os-release. */
@NullMarked
package dev.syntra.agent.metrics;

import org.jspecify.annotations.NullMarked;
