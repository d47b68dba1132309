package dev.syntra.server.command;

/**
 * Limits the transport to agents sets on commands, supplied by the hub.
 *
 * @param maxMessageBytes the largest message an agent link carries; a command that would not fit is
 *     refused when queued
 */
public record CommandLimits(int maxMessageBytes) {}
