/**
 * What lets several instances of the control plane share one PostgreSQL: {@link
 * dev.syntra.server.cluster.DatabaseNotifications}, one {@code LISTEN} connection per instance that
 * hands PostgreSQL notifications (raised by triggers) to the packages that subscribed.
 */
@NullMarked
package dev.syntra.server.cluster;

import org.jspecify.annotations.NullMarked;
