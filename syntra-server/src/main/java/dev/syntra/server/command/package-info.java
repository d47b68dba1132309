/**
 * The durable command queue to agents ({@code agent_commands}): queuing and sealing commands,
 * claiming them for delivery, recording the agents' answers and handing them to {@link
 * dev.syntra.server.command.AgentReportListener}s. The hub only carries what this package hands it.
 */
@NullMarked
package dev.syntra.server.command;

import org.jspecify.annotations.NullMarked;
