package dev.syntra.server.hub.internal;

// Fixture for TableOwnershipTest (not compiled): a subpackage of hub writes command's table.
class WritesCommands {
  String sql = "UPDATE agent_commands SET status = 'sent' WHERE id = :id";
}
